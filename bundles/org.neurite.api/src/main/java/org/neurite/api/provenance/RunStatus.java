package org.neurite.api.provenance;

/** Where a run stands. Only {@link #RUNNING} is not final; a resumed run goes back to it. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** The process recording it died (killed, crashed, power lost) before it ended the run. */
  INTERRUPTED;

  /** True for the states {@link ProvenanceStore#resumeRun} accepts. */
  public boolean resumable() {
    return this == FAILED || this == CANCELLED || this == INTERRUPTED;
  }
}
