package org.neurite.api.workflow;

import java.nio.file.Path;
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
}
