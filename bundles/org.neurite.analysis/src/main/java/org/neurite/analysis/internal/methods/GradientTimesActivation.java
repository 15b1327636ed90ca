package org.neurite.analysis.internal.methods;

import org.neurite.analysis.attribution.AttributionCall;
import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.attribution.Attributions;
import org.osgi.service.component.annotations.Component;

/** {@code grad_x_act}: activation times its gradient, pooled over the chosen positions (CULNIG, METHODS.md P4). */
@Component(service = AttributionMethod.class)
public final class GradientTimesActivation implements AttributionMethod {
  @Override
  public String name() {
    return "grad_x_act";
  }

  @Override
  public String summary() {
    return "activation x gradient of the target, pooled over positions; optionally CULNIG's p(y) * a * dp(y)/da";
  }

  @Override
  public Attributions.Result attribute(AttributionCall call) {
    return call.attributions().gradientTimesActivation(call.model(), call.batch(), call.hook(), call.target(),
        call.positions(), call.pooling(), call.weightByProbability());
  }

  /** Every hook point from one forward and one backward pass. */
  @Override
  public java.util.Map<String, Attributions.Result> attributeAll(AttributionCall call, java.util.List<String> hooks) {
    return call.attributions().gradientTimesActivation(call.model(), call.batch(), hooks, call.target(),
        call.positions(), call.pooling(), call.weightByProbability());
  }
}
