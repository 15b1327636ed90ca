package org.neurite.workflow.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.step.PortSpec;
import org.neurite.api.value.ValueCodec;
import org.neurite.support.files.ContentHash;

/**
 * How step outputs are recorded and brought back. An output is one of: a file the step wrote
 * through its artifact store (recorded by path and SHA-256), a string, number or boolean (recorded
 * as JSON), or a value of a type some bundle registered a {@link ValueCodec} for (recorded as the
 * codec's persisted form under its type name, and restored by that codec, whichever step produced
 * it). The recorded hash is what downstream memo keys are made of.
 */
final class OutputCodec {
  static final String FILE = "file";
  static final String VALUE = "value";
  private static final Gson GSON = new Gson();

  private OutputCodec() {}

  static StepOutput persist(String stepName, PortSpec port, Object value, Path runsDir, Map<Path, String> artifactHashes,
      ValueCodecs codecs, ValueFiles files) throws Exception {
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
    ValueCodec<?> codec = codecs.of(value).orElseThrow(() -> new IllegalStateException("step " + stepName
        + " returned output '" + port.name() + "' of type " + (value == null ? "null" : value.getClass().getName())
        + ", which no installed bundle persists: return a file written through context.artifacts(), a string,"
        + " number or boolean, or a value of a type with a registered ValueCodec (dataset, model, unit scores,"
        + " neuron set)"));
    String json = persistWith(codec, value, files);
    JsonParser.parseString(json);
    return new StepOutput(port.name(), codec.typeName(), ContentHash.sha256(json), null, json);
  }

  /**
   * Why a recorded output cannot be restored for an input of type {@code wanted}, or null when it
   * can: the rules {@link #restore} applies. A file fits an input that takes a {@link Path}; a
   * value, an input of a type it converts to (a whole number to Long or Integer, any number to
   * Double or Number, a boolean to Boolean, anything to String); any other output, an input whose
   * type its codec's Java type is assignable to.
   */
  static Misfit misfit(StepOutput output, Class<?> wanted, ValueCodecs codecs) {
    if (FILE.equals(output.type())) {
      return wanted.isAssignableFrom(Path.class) ? null
          : new Misfit("is a file (" + output.artifactPath() + ")", "bind it to an output of the right type");
    }
    if (VALUE.equals(output.type())) {
      return valueFor(JsonParser.parseString(output.valueJson()), wanted) != null ? null
          : new Misfit("is the value " + output.valueJson(), "bind it to an output of the right type");
    }
    Optional<ValueCodec<?>> codec = codecs.named(output.type());
    if (codec.isEmpty()) {
      return new Misfit("was recorded as type " + output.type() + ", which no installed bundle restores",
          "install the bundle that provides that type");
    }
    return wanted.isAssignableFrom(codec.get().type()) ? null
        : new Misfit("is " + codec.get().type().getSimpleName() + " (recorded as type " + output.type() + ")",
            "bind it to an output of the right type");
  }

  /** Why a recorded output does not fit an input, and what to do about it. */
  record Misfit(String what, String fix) {}

  /** A recorded JSON value as an input of type {@code type} takes it, or null when it does not fit. */
  static Object valueFor(JsonElement json, Class<?> type) {
    if (!json.isJsonPrimitive()) {
      return null;
    }
    JsonPrimitive value = json.getAsJsonPrimitive();
    if (type == Long.class || type == Integer.class) {
      if (!value.isNumber()) {
        return null;
      }
      try {
        BigDecimal number = value.getAsBigDecimal();
        return type == Long.class ? (Object) number.longValueExact() : (Object) number.intValueExact();
      } catch (ArithmeticException | NumberFormatException notWhole) {
        return null;
      }
    }
    if (type == Double.class || type == Number.class) {
      return value.isNumber() ? value.getAsDouble() : null;
    }
    if (type == Boolean.class) {
      return value.isBoolean() ? value.getAsBoolean() : null;
    }
    return type.isAssignableFrom(String.class) ? value.getAsString() : null;
  }

  @SuppressWarnings("unchecked")
  private static <T> String persistWith(ValueCodec<T> codec, Object value, ValueFiles files) throws Exception {
    return codec.persist((T) value, files);
  }

  /** Brings an output back; called only when a step that consumes it runs. */
  static Object restore(StepOutput output, PortSpec port, Path runsDir, ValueCodecs codecs, ValueFiles files)
      throws Exception {
    if (FILE.equals(output.type())) {
      Path file = runsDir.resolve(output.artifactPath());
      if (!Files.isRegularFile(file)) {
        throw new NeuriteException("The recorded artifact " + file + " is gone; run again with --no-cache to recompute it.");
      }
      return file;
    }
    if (VALUE.equals(output.type())) {
      Object value = valueFor(JsonParser.parseString(output.valueJson()), port.type());
      if (value == null) {
        throw new NeuriteException("The recorded output '" + output.name() + "' is the value " + output.valueJson()
            + ", which does not fit an input of type " + port.type().getSimpleName() + "; bind the input to an output"
            + " of the right type.");
      }
      return value;
    }
    ValueCodec<?> codec = codecs.named(output.type()).orElseThrow(() -> new NeuriteException("The recorded output '"
        + output.name() + "' is a value of type " + output.type() + ", and no installed bundle restores that type;"
        + " install the bundle that provides it, or run again with --no-cache."));
    return codec.restore(output.valueJson(), files);
  }
}
