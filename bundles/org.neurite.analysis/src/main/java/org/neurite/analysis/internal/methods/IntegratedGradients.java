package org.neurite.analysis.internal.methods;

import org.neurite.analysis.attribution.AttributionCall;
import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.attribution.Attributions;
import org.osgi.service.component.annotations.Component;

/** {@code integrated_gradients}: over the hook point scaled from zero to its value, in {@code steps} steps (knowledge neurons). */
@Component(service = AttributionMethod.class)
public final class IntegratedGradients implements AttributionMethod {
  @Override
  public String name() {
    return "integrated_gradients";
  }

  @Override
  public String summary() {
    return "integrated gradients of the target over the hook point scaled from 0 to its value (midpoint rule)";
  }

  @Override
  public Attributions.Result attribute(AttributionCall call) {
    return call.attributions().integratedGradients(call.model(), call.batch(), call.hook(), call.target(),
        call.positions(), call.steps(), null);
  }
}
