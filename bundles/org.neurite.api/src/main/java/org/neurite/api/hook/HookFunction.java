package org.neurite.api.hook;

import ai.djl.ndarray.NDArray;
import org.neurite.api.model.TokenBatch;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Replaces the value at a hook point: an intervention. It returns an array of the same shape
 * (computed from {@code value}, so it lives as long as the forward pass needs it); the rest of the
 * forward pass sees the returned array.
 */
@ConsumerType
@FunctionalInterface
public interface HookFunction {
  NDArray apply(String hookName, NDArray value, TokenBatch batch);
}
