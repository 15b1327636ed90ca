package org.neurite.workflow.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.context.Artifacts;
import org.neurite.api.context.Progress;
import org.neurite.api.context.StepContext;
import org.neurite.api.listener.RunStep;
import org.neurite.api.provenance.SourceKind;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.files.ContentHash;

/** The context one step runs in: typed parameters, lazily restored inputs, and recording as it goes. */
final class EngineStepContext implements StepContext, Artifacts {
  private final RunContext run;
  private final RunStep step;
  private final String stepId;
  private final long recordId;
  private final Map<String, Object> params;
  private final Map<String, Supplier<Object>> inputs;
  private final Map<Path, String> artifactHashes = new ConcurrentHashMap<>();

  EngineStepContext(RunContext run, RunStep step, long recordId, Map<String, Object> params,
      Map<String, Supplier<Object>> inputs) {
    this.run = run;
    this.step = step;
    this.stepId = step.stepId();
    this.recordId = recordId;
    this.params = params;
    this.inputs = inputs;
  }

  Map<Path, String> artifactHashes() {
    return artifactHashes;
  }

  @Override
  public String stepId() {
    return stepId;
  }

  @Override
  public long runId() {
    return run.runId();
  }

  @Override
  public <T> T param(String name, Class<T> type) {
    if (!params.containsKey(name)) {
      throw new IllegalArgumentException("step " + stepId + " asked for parameter '" + name + "', which its spec does not declare");
    }
    return convert(params.get(name), type, "parameter", name);
  }

  @Override
  public <T> T input(String name, Class<T> type) {
    Supplier<Object> value = inputs.get(name);
    if (value == null) {
      throw new IllegalArgumentException("step " + stepId + " asked for input '" + name + "', which its spec does not declare");
    }
    return convert(value.get(), type, "input", name);
  }

  private <T> T convert(Object value, Class<T> type, String what, String name) {
    if (value instanceof Long l && type == Integer.class) {
      return type.cast(Math.toIntExact(l));
    }
    if (value instanceof Number n && type == Double.class) {
      return type.cast(n.doubleValue());
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("step " + stepId + " asked for " + what + " '" + name + "' as "
          + type.getSimpleName() + ", but it is " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return type.cast(value);
  }

  @Override
  public String device() {
    return run.device();
  }

  @Override
  public TensorBackend backend() {
    return run.backend();
  }

  @Override
  public Workspace workspace() {
    return run.workspace();
  }

  @Override
  public Progress progress(String label, long total) {
    return new ReportedProgress(run.listener(), step, label, total);
  }

  @Override
  public void metric(String name, String group, double value) {
    run.store().recordMetric(recordId, name, group, value);
  }

  @Override
  public void source(String kind, String name, String path, String contentHash, String detailsJson) {
    SourceKind sourceKind;
    try {
      sourceKind = SourceKind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("step " + stepId + " recorded a source of kind '" + kind + "'; use model or dataset", e);
    }
    run.store().recordSource(recordId, sourceKind, name, path, contentHash, detailsJson);
  }

  @Override
  public boolean cancelled() {
    return run.cancellation().cancelled();
  }

  @Override
  public void checkCancelled() {
    run.cancellation().check();
  }

  @Override
  public Artifacts artifacts() {
    return this;
  }

  @Override
  public Path folder() {
    return run.runFolder().resolve(stepId);
  }

  private static boolean plainName(String fileName) {
    if (fileName.isBlank() || fileName.contains("\\")) {
      return false;
    }
    for (String part : fileName.split("/", -1)) {
      if (part.isEmpty() || part.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Path write(String fileName, String kind, ArtifactWriter writer) throws Exception {
    if (!plainName(fileName)) {
      throw new IllegalArgumentException("step " + stepId + " named an artifact '" + fileName
          + "'; an artifact name is a plain file name, or plain folder and file names joined by '/'"
          + " (checkpoint-3/config.json), none of them empty or starting with '.'");
    }
    Path target = folder().resolve(fileName);
    Files.createDirectories(target.getParent());
    checkCancelled();
    String[] sha = new String[1];
    long[] size = new long[1];
    run.workspace().writeAtomically(target, temporary -> {
      writer.writeTo(temporary);
      // a writer that stopped early because the run was cancelled returns normally: its file is
      // not whole, so it must not get its final name
      checkCancelled();
      sha[0] = ContentHash.sha256(temporary);
      size[0] = Files.size(temporary);
    });
    try {
      run.store().recordArtifact(recordId, kind, run.runsDir().relativize(target).toString(), sha[0], size[0]);
    } catch (RuntimeException e) {
      // no file under a final name that provenance does not know (the database may be closing)
      Files.deleteIfExists(target);
      throw e;
    }
    artifactHashes.put(target.toAbsolutePath().normalize(), sha[0]);
    return target;
  }
}
