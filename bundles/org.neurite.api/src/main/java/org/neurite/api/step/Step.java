package org.neurite.api.step;

import org.neurite.api.context.StepContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Something a workflow can do: load a model, read a dataset, score units, intervene, evaluate,
 * write a report. Implemented by plugins, registered as a service annotated with
 * {@link NeuriteStep}, found and run by the workflow engine.
 *
 * <p>A step reads its parameters and inputs from the context, does its work inside tensor scopes
 * that it closes, writes files only through the context's artifact store, and returns its outputs.
 * It must be safe to run concurrently in different runs.
 */
@ConsumerType
public interface Step {

  /** The step's declaration; constant for the life of the service. */
  StepSpec spec();

  /**
   * Runs the step.
   *
   * @return the outputs, one per declared output
   * @throws org.neurite.api.NeuriteException for errors the user can fix (bad parameter, bad
   *     file); anything else is treated as a bug and recorded with its stack trace
   */
  StepResult run(StepContext context) throws Exception;

  /**
   * The content hashes of what this step reads from outside the workflow -- files and folders its
   * parameters name -- by a name of the step's choosing. They are part of the step's memo key, so a
   * changed file makes the step run again instead of reusing an outdated result. Called before
   * {@link #run}, also when the step is then reused; it must not write artifacts.
   *
   * <p>The default hashes the file of every {@link ParamType#PATH} parameter that names a regular
   * file (a dataset, say). A step reading a folder, or a name it resolves itself (a model), overrides it.
   */
  default java.util.Map<String, String> sources(StepContext context) throws Exception {
    java.util.Map<String, String> hashes = new java.util.TreeMap<>();
    for (ParamSpec param : spec().params()) {
      if (param.type() == ParamType.PATH) {
        java.nio.file.Path file = context.param(param.name(), java.nio.file.Path.class);
        if (file != null && java.nio.file.Files.isRegularFile(file)) {
          hashes.put(param.name(), context.workspace().contentHash(file));
        }
      }
    }
    return hashes;
  }
}
