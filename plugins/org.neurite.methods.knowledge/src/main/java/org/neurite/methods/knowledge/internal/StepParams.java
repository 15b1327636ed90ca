package org.neurite.methods.knowledge.internal;

import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;

/** The checks of the knowledge steps' integer parameters, with one message. */
final class StepParams {
  private StepParams() {}

  /** An integer parameter of at least {@code minimum}; otherwise one message naming the step and the parameter. */
  static long atLeast(StepContext context, String name, long minimum) {
    long v = context.param(name, Long.class);
    if (v < minimum) {
      throw new NeuriteException("Step " + context.stepId() + ": " + name + " is " + v + "; give " + minimum
          + " or more.");
    }
    return v;
  }
}
