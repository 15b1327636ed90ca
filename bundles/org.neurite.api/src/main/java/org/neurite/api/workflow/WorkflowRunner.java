package org.neurite.api.workflow;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
   * Validates, then runs a workflow. Progress goes to {@code out}, one line per step.
   *
   * @throws org.neurite.api.NeuriteException if the file is invalid (nothing is run or recorded)
   */
  RunOutcome run(Path file, RunOptions options, PrintStream out);

  /**
   * Continues a failed, cancelled or interrupted run from its last completed step, under the same
   * run id, with the workflow text and parameters it was started with.
   */
  RunOutcome resume(long runId, PrintStream out);
}
