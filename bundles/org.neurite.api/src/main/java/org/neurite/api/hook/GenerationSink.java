package org.neurite.api.hook;

import ai.djl.ndarray.NDArray;
import org.neurite.api.generate.DecodingStep;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the value at a hook point at each decoding step of a generation, with the step's index
 * and the power to end a sequence early ({@link DecodingStep#abstain}). The array is valid only
 * during the call, as a {@link HookSink}'s is.
 */
@ConsumerType
@FunctionalInterface
public interface GenerationSink {
  void accept(DecodingStep step, String hookName, NDArray value);
}
