package org.neurite.workflow.internal;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.ContentHash;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.step.Persistable;
import org.neurite.api.step.PortSpec;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepContext;

/**
 * How step outputs are recorded and brought back. An output is one of: a file the step wrote
 * through its artifact store (recorded by path and SHA-256), a string, number or boolean (recorded
 * as JSON), or a {@link Persistable} (recorded as its persisted form, restored by the step that
 * declared it). The recorded hash is what downstream memo keys are made of.
 */
final class OutputCodec {
  static final String FILE = "file";
  static final String VALUE = "value";
  private static final Gson GSON = new Gson();

  private OutputCodec() {}

  static StepOutput persist(String stepName, PortSpec port, Object value, Path runsDir, Map<Path, String> artifactHashes) {
    if (value instanceof Path path) {
      String sha = artifactHashes.get(path.toAbsolutePath().normalize());
      if (sha == null) {
        throw new IllegalStateException("step " + stepName + " returned the file " + path + " as output '" + port.name()
            + "' without writing it through context.artifacts(); only artifacts can be recorded");
      }
      return new StepOutput(port.name(), FILE, sha, runsDir.relativize(path.toAbsolutePath().normalize()).toString(), null);
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      String json = GSON.toJson(value);
      return new StepOutput(port.name(), VALUE, ContentHash.sha256(json), null, json);
    }
    if (value instanceof Persistable persistable) {
      String json = persistable.persistedForm();
      JsonParser.parseString(json);
      return new StepOutput(port.name(), port.type().getName(), ContentHash.sha256(json), null, json);
    }
    throw new IllegalStateException("step " + stepName + " returned output '" + port.name() + "' of type "
        + (value == null ? "null" : value.getClass().getName()) + ", which cannot be recorded: return a file written"
        + " through context.artifacts(), a string, number or boolean, or a Persistable value");
  }

  /** Brings an output back; called only when a step that consumes it runs. */
  static Object restore(StepOutput output, PortSpec port, Step producer, Path runsDir, StepContext consumer) throws Exception {
    if (FILE.equals(output.type())) {
      Path file = runsDir.resolve(output.artifactPath());
      if (!Files.isRegularFile(file)) {
        throw new NeuriteException("The recorded artifact " + file + " is gone; run again with --no-cache to recompute it.");
      }
      return file;
    }
    if (VALUE.equals(output.type())) {
      Class<?> type = port.type();
      var json = JsonParser.parseString(output.valueJson());
      if (type == Long.class || type == Integer.class) {
        return type == Long.class ? json.getAsLong() : json.getAsInt();
      }
      if (type == Double.class || type == Number.class) {
        return json.getAsDouble();
      }
      if (type == Boolean.class) {
        return json.getAsBoolean();
      }
      return json.getAsString();
    }
    return producer.restore(output.name(), output.valueJson(), consumer);
  }
}
