package org.neurite.analysis.internal.methods;

import org.neurite.analysis.attribution.AttributionCall;
import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.attribution.Attributions;
import org.osgi.service.component.annotations.Component;

/** {@code attribution_patching}: grad(corrupted) . (clean - corrupted), a first-order estimate of patching each unit. */
@Component(service = AttributionMethod.class)
public final class AttributionPatching implements AttributionMethod {
  @Override
  public String name() {
    return "attribution_patching";
  }

  @Override
  public String summary() {
    return "gradient at the corrupted input times (clean - corrupted): the estimated effect of patching each unit";
  }

  @Override
  public boolean needsCorrupted() {
    return true;
  }

  @Override
  public Attributions.Result attribute(AttributionCall call) {
    return call.attributions().attributionPatching(call.model(), call.batch(), call.corrupted(), call.hook(),
        call.target(), call.positions());
  }
}
