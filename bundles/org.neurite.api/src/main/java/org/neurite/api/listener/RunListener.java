package org.neurite.api.listener;

import java.time.Duration;
import org.neurite.api.workflow.RunOutcome;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears what a run does, as it does it. The engine calls {@link #runStarted} once, then for each
 * step {@link #stepStarted} followed by exactly one of {@link #stepCached}, {@link #stepDone},
 * {@link #stepFailed} or {@link #stepCancelled} (with {@link #progress} between them while the step
 * works), and finally {@link #runFinished}. Every method does nothing by default, so a listener
 * implements only what it shows.
 *
 * <p>Calls come from the thread that runs the workflow, except {@link #progress}, which comes from
 * whichever thread a step does its work on. A listener that throws does not stop the run: the
 * engine logs the failure and goes on.
 */
@ConsumerType
public interface RunListener {

  /** The run was recorded and its first step is about to start (for a resumed run: its next attempt). */
  default void runStarted(RunStarted run) {}

  /** A step is about to be looked up in the cache or run. */
  default void stepStarted(RunStep step) {}

  /**
   * The step was not run: its outputs are those of an earlier step record.
   *
   * @param stepRecord the step record whose outputs are reused
   * @param ofRun the run that record belongs to
   * @param earlierAttempt true when the record is this run's own, from the attempt before a resume;
   *     false when it is a cache hit on an identical step of any run
   */
  default void stepCached(RunStep step, long stepRecord, long ofRun, boolean earlierAttempt) {}

  /** The step ran and succeeded. */
  default void stepDone(RunStep step, Duration took) {}

  /**
   * The step failed; the run stops after it.
   *
   * @param message what went wrong, as the user is shown it
   * @param beforeRunning true when the step failed before it ran, while it named what it reads
   */
  default void stepFailed(RunStep step, Duration took, String message, boolean beforeRunning) {}

  /** The run was cancelled while this step ran. */
  default void stepCancelled(RunStep step, Duration took) {}

  /**
   * A long piece of work inside the step advanced. The engine reports the start ({@code done} 0),
   * each whole percent and the end ({@code done == total}), so a listener need not throttle.
   *
   * @param label what the work is, as the step named it
   */
  default void progress(RunStep step, String label, long done, long total) {}

  /** The run ended, however it ended. */
  default void runFinished(RunOutcome outcome) {}
}
