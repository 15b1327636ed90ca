package org.neurite.analysis.attribution;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An attribution method, registered as an OSGi service and called by its {@link #name()}: for one
 * batch, a score per example and per unit of one hook point, explaining a scalar target. The
 * generic {@code attribute} step owns everything around it (the dataset loop, batching and
 * padding, groups, progress, cancellation, averaging into unit scores), so a method is only this
 * one call, as in Captum and Inseq. The platform registers {@code grad_x_act},
 * {@code integrated_gradients} and {@code attribution_patching}; a plugin adds one by registering
 * another service (docs/plugin-authoring.md).
 */
@ConsumerType
public interface AttributionMethod {

  /** The name workflows give as the {@code attribute} step's {@code method}, e.g. {@code grad_x_act}. */
  String name();

  /** One line for {@code steps} and the docs. */
  String summary();

  /**
   * Whether each example needs its corrupted counterpart ({@code Example.contrast()}), which the
   * step then tokenises, batches alongside and passes as {@link AttributionCall#corrupted()}.
   */
  default boolean needsCorrupted() {
    return false;
  }

  /** The scores of one batch; every array the method makes is closed before it returns. */
  Attributions.Result attribute(AttributionCall call);

  /**
   * The scores of one batch at several hook points, by hook point in the order given. By default
   * one {@link #attribute} call per hook point; a method that can score them in one pass (grad_x_act:
   * one backward for every hook point) overrides it, giving the same scores.
   */
  default java.util.Map<String, Attributions.Result> attributeAll(AttributionCall call, java.util.List<String> hooks) {
    java.util.Map<String, Attributions.Result> out = new java.util.LinkedHashMap<>();
    for (String hook : hooks) {
      out.put(hook, attribute(call.at(hook)));
    }
    return out;
  }
}
