package org.neurite.analysis.attribution;

import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.LanguageModel;

/**
 * What an {@link AttributionMethod} is called with for one batch.
 *
 * @param corrupted the corrupted counterparts of the batch's examples, the same shape, or null
 *     unless the method {@link AttributionMethod#needsCorrupted() needs them}
 * @param hook the hook point whose units are scored
 * @param positions the tokens whose units count
 * @param pooling how a per-token score becomes one per example (methods that sum over positions ignore it)
 * @param steps the number of steps of path methods (integrated gradients)
 * @param weightByProbability CULNIG's score: the gradient of p(y) = exp(target) times p(y)
 */
public record AttributionCall(LanguageModel model, Batches.Batch batch, Batches.Batch corrupted, String hook,
    Target target, Positions positions, Pooling pooling, int steps, boolean weightByProbability,
    TensorBackend backend, String device) {

  /** The same call at another hook point. */
  public AttributionCall at(String otherHook) {
    return new AttributionCall(model, batch, corrupted, otherHook, target, positions, pooling, steps,
        weightByProbability, backend, device);
  }

  /** The primitives, on this call's backend and device. */
  public Attributions attributions() {
    return new Attributions(backend, device);
  }
}
