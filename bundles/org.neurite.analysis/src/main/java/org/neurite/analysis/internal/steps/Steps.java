package org.neurite.analysis.internal.steps;

import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;

/** Parameter checks the analysis steps share; each message names the step, the parameter and the fix. */
final class Steps {
  private Steps() {}

  static long positive(StepContext context, String param) {
    long value = context.param(param, Long.class);
    if (value < 1) {
      throw new NeuriteException("Step " + context.stepId() + ": " + param + " is " + value + "; it must be at least 1.");
    }
    return value;
  }

  static NeuriteException bad(StepContext context, String param, String problem) {
    return new NeuriteException("Step " + context.stepId() + ": " + param + " " + problem);
  }
}
