package org.neurite.analysis.conformance;

import org.junit.jupiter.api.Nested;
import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.internal.methods.AttributionPatching;
import org.neurite.analysis.internal.methods.GradientTimesActivation;
import org.neurite.analysis.internal.methods.IntegratedGradients;

/** The platform's own attribution methods pass the kit a plugin's method must pass. */
class BuiltInMethodsConformanceTest {
  @Nested
  class GradientTimesActivationConforms extends AttributionMethodConformance {
    @Override
    protected AttributionMethod method() {
      return new GradientTimesActivation();
    }
  }

  @Nested
  class IntegratedGradientsConforms extends AttributionMethodConformance {
    @Override
    protected AttributionMethod method() {
      return new IntegratedGradients();
    }
  }

  @Nested
  class AttributionPatchingConforms extends AttributionMethodConformance {
    @Override
    protected AttributionMethod method() {
      return new AttributionPatching();
    }

    /**
     * On the testbed a sentence of group g is corrupted into group g+1's words, and the target is the
     * corrupted sentence's likelihood: patching in the clean activation switches g's planted units on
     * in the corrupted run, where they push g's words and so lower that likelihood. They get the most
     * negative scores (about -0.021 each, every other unit within 2e-4 of 0).
     */
    @Override
    protected double direction() {
      return -1;
    }
  }
}
