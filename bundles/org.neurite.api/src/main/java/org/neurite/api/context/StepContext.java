package org.neurite.api.context;

import org.neurite.api.backend.TensorBackend;
import org.neurite.api.workspace.Workspace;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the engine gives a running step: its resolved parameters and inputs, the tensor backend,
 * progress reporting, metrics, and cancellation.
 */
@ProviderType
public interface StepContext {

  /** The id of this step within its workflow. */
  String stepId();

  /** The run this step belongs to, as recorded in provenance ({@code show RUN}). */
  long runId();

  /**
   * A parameter's value, converted to {@code type} ({@code String}, {@code Long}, {@code Double},
   * {@code Boolean}, {@code java.nio.file.Path}, {@code java.util.List}).
   */
  <T> T param(String name, Class<T> type);

  /** An input bound to an earlier step's output. */
  <T> T input(String name, Class<T> type);

  /** The device this run computes on, as named by the run's {@code device} parameter. */
  String device();

  /** The tensor backend; open scopes with {@code backend().newScope(device())}. */
  TensorBackend backend();

  /** Starts reporting progress of a long piece of work with {@code total} units. */
  Progress progress(String label, long total);

  /** Records a metric of this step (recorded in provenance and shown in reports). */
  void metric(String name, String group, double value);

  /** Where this step writes its files. */
  Artifacts artifacts();

  /**
   * Records the identity of a model or dataset this step read: the content hash of its files, so
   * lineage can say exactly which data a result came from.
   *
   * @param kind {@code model} or {@code dataset}
   * @param detailsJson anything else that identifies it (format, fields, dtype), as a JSON object
   */
  void source(String kind, String name, String path, String contentHash, String detailsJson);

  /**
   * The workspace: its folders, the rule by which relative paths were found, and the remembered
   * content hashes of files ({@code workspace().contentHash(file)}: a large dataset is not read again
   * at every run just to be identified).
   */
  Workspace workspace();

  /**
   * True once the run is cancelled (Ctrl-C, a TERM signal, {@code WorkflowRunner.cancelRuns}); a long
   * step checks this, or calls {@link #checkCancelled()}, and stops early. What it returns after
   * that is discarded: the step is recorded {@code CANCELLED}, and {@link Artifacts#write} writes no
   * more files.
   */
  boolean cancelled();

  /**
   * Throws {@link StepCancelledException} once the run is cancelled, and does nothing otherwise (a
   * volatile read: cheap enough for every example or batch of a loop).
   */
  void checkCancelled();
}
