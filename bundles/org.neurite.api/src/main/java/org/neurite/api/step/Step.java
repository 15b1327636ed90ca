package org.neurite.api.step;

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
   * Rebuilds a {@link Persistable} output of this step from its persisted form, so that a later
   * run can reuse it ("cached") without running the step again. Called lazily, only when a step
   * that consumes the output actually runs.
   *
   * @throws org.neurite.api.NeuriteException if the referenced files are gone or changed
   */
  default Object restore(String outputName, String persistedForm, StepContext context) throws Exception {
    throw new IllegalStateException("step " + spec().name() + " returned a Persistable output '"
        + outputName + "' but does not implement Step.restore for it");
  }
}
