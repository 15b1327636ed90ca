package org.neurite.api.provenance;

/** Where one step record stands. */
public enum StepStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** The step was not computed: the outputs of an earlier succeeded step record were reused. */
  CACHED,
  CANCELLED,
  /** The process died while the step was running. */
  INTERRUPTED;

  /** True when the step's outputs are available: {@link #SUCCEEDED} or {@link #CACHED}. */
  public boolean completed() {
    return this == SUCCEEDED || this == CACHED;
  }
}
