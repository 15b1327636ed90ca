package org.neurite.api.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.neurite.api.listener.RunListener;
import org.neurite.api.step.StepSpec;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The workflow engine: validates workflow files against the registered steps, runs them with
 * provenance, memoization and resume. The only component that tracks {@code Step} services.
 */
@ProviderType
public interface WorkflowRunner {

  /** Every registered step, by name. */
  List<StepSpec> steps();

  /** One registered step. */
  Optional<StepSpec> step(String name);

  /**
   * Reads and validates a workflow file completely, against the steps registered now.
   *
   * @return the workflow's name
   * @throws org.neurite.api.NeuriteException listing every problem, each naming the file, the step
   *     and the fix
   */
  String validate(Path file, RunOptions options);

  /**
   * Validates, then runs a workflow, telling {@code listener} what each step does as it goes.
   *
   * @throws org.neurite.api.NeuriteException if the file is invalid (nothing is run or recorded)
   */
  RunOutcome run(Path file, RunOptions options, RunListener listener);

  /**
   * Continues a failed, cancelled or interrupted run from its last completed step, under the same
   * run id, with the workflow text it was started with and the typed parameter values it recorded
   * (a list element holding a comma stays one element).
   */
  RunOutcome resume(long runId, RunListener listener);

  /**
   * Asks every run this engine is running to stop, and returns at once: each stops at its step's
   * next cancellation check ({@code StepContext.cancelled()}) and is recorded {@code CANCELLED} with
   * {@code reason} in its message ({@code "cancelled by Ctrl-C in the console during step slow"});
   * {@link #resume} continues it later.
   *
   * @param reason why, as the message begins: {@code cancelled by ...}
   * @return the ids of the runs asked to stop (empty when none is running)
   */
  List<Long> cancelRuns(String reason);

  /**
   * Cancels every run as {@link #cancelRuns} does, then waits up to {@code wait} for each to record
   * its end. A run whose step has not stopped by then (one that does not check for cancellation) is
   * recorded {@code CANCELLED} here while its step still runs: for a process about to stop, which
   * must close the provenance database only after every run is recorded.
   *
   * @return the ids of the runs cancelled
   */
  List<Long> stopRuns(String reason, Duration wait);
}
