package org.neurite.methods.culture.internal;

import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.conformance.AttributionMethodConformance;
import org.neurite.analysis.internal.methods.GradientTimesActivation;

/**
 * CULNIG's scoring through the conformance kit: grad_x_act as the culnig workflow configures it,
 * max-pooled over positions and weighted by p(y) (p · a · ∂p/∂a): one score per example and unit,
 * a padded batch equal to each example alone, deterministic, no scope or hook left behind, several
 * hook points at once equal to one at a time, and the planted units recovered.
 */
class CulnigConformanceTest extends AttributionMethodConformance {
  @Override
  protected AttributionMethod method() {
    return new GradientTimesActivation();
  }

  @Override
  protected Pooling pooling() {
    return Pooling.MAX;
  }

  @Override
  protected boolean weightByProbability() {
    return true;
  }
}
