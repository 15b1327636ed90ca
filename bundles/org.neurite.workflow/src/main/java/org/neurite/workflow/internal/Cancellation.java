package org.neurite.workflow.internal;

import org.neurite.api.context.StepCancelledException;

/**
 * Whether a run was cancelled, and why. The first reason given wins: a TERM signal that arrives
 * while a Ctrl-C is being handled does not rewrite what the run records.
 */
final class Cancellation {
  private volatile String reason;

  /** Cancels with {@code reason} ({@code cancelled by SIGTERM}), unless already cancelled. */
  synchronized void cancel(String why) {
    if (reason == null) {
      reason = java.util.Objects.requireNonNull(why, "reason");
    }
  }

  boolean cancelled() {
    return reason != null;
  }

  /** Why the run was cancelled; null while it is not. */
  String reason() {
    return reason;
  }

  /** Throws {@link StepCancelledException} once cancelled. */
  void check() {
    String why = reason;
    if (why != null) {
      throw new StepCancelledException(why);
    }
  }
}
