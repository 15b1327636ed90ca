package org.neurite.workflow.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.neurite.api.listener.RunListener;
import org.neurite.api.listener.RunStarted;
import org.neurite.api.listener.RunStep;
import org.neurite.api.workflow.RunOutcome;

/**
 * The caller's {@link RunListener}, guarded: a listener that throws is logged and the run goes on,
 * because what the user is shown must never decide whether the work is done.
 */
final class Listeners implements RunListener {
  private static final Logger LOG = System.getLogger(Listeners.class.getName());

  private final RunListener listener;

  Listeners(RunListener listener) {
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void runStarted(RunStarted run) {
    guard("runStarted", () -> listener.runStarted(run));
  }

  @Override
  public void stepStarted(RunStep step) {
    guard("stepStarted", () -> listener.stepStarted(step));
  }

  @Override
  public void stepCached(RunStep step, long stepRecord, long ofRun, boolean earlierAttempt) {
    guard("stepCached", () -> listener.stepCached(step, stepRecord, ofRun, earlierAttempt));
  }

  @Override
  public void stepDone(RunStep step, Duration took) {
    guard("stepDone", () -> listener.stepDone(step, took));
  }

  @Override
  public void stepFailed(RunStep step, Duration took, String message, boolean beforeRunning) {
    guard("stepFailed", () -> listener.stepFailed(step, took, message, beforeRunning));
  }

  @Override
  public void stepCancelled(RunStep step, Duration took) {
    guard("stepCancelled", () -> listener.stepCancelled(step, took));
  }

  @Override
  public void progress(RunStep step, String label, long done, long total) {
    guard("progress", () -> listener.progress(step, label, done, total));
  }

  @Override
  public void runFinished(RunOutcome outcome) {
    guard("runFinished", () -> listener.runFinished(outcome));
  }

  private void guard(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The run listener " + listener.getClass().getName() + " failed on " + event
          + "; the run goes on", e);
    }
  }
}
