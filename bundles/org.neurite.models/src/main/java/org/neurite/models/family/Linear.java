package org.neurite.models.family;

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

  /**
   * One projection computing several at once (q, k and v, say): weights stacked along the output
   * axis, so one matrix product replaces several. The parts are freed; the stack is a copy.
   */
  public static Linear concat(Linear... parts) {
    ai.djl.ndarray.NDList weights = new ai.djl.ndarray.NDList();
    ai.djl.ndarray.NDList biases = new ai.djl.ndarray.NDList();
    for (Linear part : parts) {
      weights.add(part.weight());
      if (part.bias() != null) {
        biases.add(part.bias());
      }
    }
    if (!biases.isEmpty() && biases.size() != parts.length) {
      throw new IllegalArgumentException("either every part has a bias or none has");
    }
    NDArray weight = ai.djl.ndarray.NDArrays.concat(weights, 0);
    NDArray bias = biases.isEmpty() ? null : ai.djl.ndarray.NDArrays.concat(biases, 0);
    weights.close();
    biases.close();
    return new Linear(weight, bias);
  }

  /** Output width. */
  public long out() {
    return weight.getShape().get(0);
  }
}
