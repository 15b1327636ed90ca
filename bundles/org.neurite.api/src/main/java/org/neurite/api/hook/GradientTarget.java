package org.neurite.api.hook;

import ai.djl.ndarray.NDArray;
import org.neurite.api.model.Forward;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The quantity whose gradient {@link Hooks#gradient} hooks receive: computed from the finished
 * forward pass (its logits, hidden states or recorded values) while gradients are being recorded,
 * e.g. {@code f -> f.logits().get(0, last, answer)}. An array of more than one element is summed;
 * since sequences of a batch do not interact, a sum of per-sequence targets gives each sequence
 * its own gradient.
 */
@ConsumerType
@FunctionalInterface
public interface GradientTarget {
  NDArray apply(Forward forward);
}
