package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;

/**
 * {@code y = x W^T + b}, as {@code torch.nn.functional.linear}: one fused call. The weight is
 * [out, in]; a checkpoint that stores [in, out] (GPT-2's Conv1D) is given as a transposed view, no copy.
 *
 * @param weight [out, in]
 * @param bias [out], or null
 */
public record Linear(NDArray weight, NDArray bias) {
  /** Applies it to {@code x} [..., in]; the result lives where {@code x} does. */
  public NDArray apply(NDArray x) {
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }

  /** Output width. */
  public long out() {
    return weight.getShape().get(0);
  }
}
