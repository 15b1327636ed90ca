package org.neurite.workflow.internal;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import org.neurite.api.step.StepSpec;

/**
 * A validated workflow, ready to run: workflow parameters with overrides applied, the device, and
 * the steps in the order they run (dependencies first, otherwise file order).
 */
record Plan(WorkflowDefinition definition, Map<String, JsonElement> params, String device, List<PlannedStep> steps) {

  /**
   * One step with everything resolved but the values of its inputs.
   *
   * @param params every declared parameter's value (given, substituted or default), as JSON
   * @param inputs the inputs bound to outputs of steps of this workflow: the producing step and output
   * @param recorded the inputs bound to outputs earlier runs recorded ({@code ${runs.N.step.output}})
   * @param after ids of the steps that must finish first
   */
  record PlannedStep(String id, StepSpec spec, Map<String, JsonElement> params, Map<String, Reference> inputs,
      Map<String, RecordedInput> recorded, List<String> after) {}
}
