package org.neurite.api.hook;

import ai.djl.ndarray.NDArray;
import org.neurite.api.model.TokenBatch;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the value at a hook point while the forward pass runs, e.g. to accumulate statistics
 * without keeping the activations. The array is valid only during the call: copy out, or compute
 * from it, what must be kept.
 */
@ConsumerType
@FunctionalInterface
public interface HookSink {
  void accept(String hookName, NDArray value, TokenBatch batch);
}
