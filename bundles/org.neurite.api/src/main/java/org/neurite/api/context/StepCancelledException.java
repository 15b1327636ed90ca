package org.neurite.api.context;

/**
 * The run was cancelled (Ctrl-C, a TERM signal, {@code WorkflowRunner.cancelRuns}): thrown by
 * {@link StepContext#checkCancelled()} and by {@link Artifacts#write} once it is, so that a step
 * stops where it stands. The engine records the step and the run as {@code CANCELLED}, with the
 * reason as the run's message; a step lets it pass and never catches it.
 */
public final class StepCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param reason why the run was cancelled, e.g. {@code cancelled by SIGTERM} */
  public StepCancelledException(String reason) {
    super(reason);
  }
}
