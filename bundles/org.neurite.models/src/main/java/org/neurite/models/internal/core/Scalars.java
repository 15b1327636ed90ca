package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a constant that stays correct under autograd. DJL's {@code x.mul(0.5)} makes the
 * constant a tensor on a Java buffer ({@code from_blob}) and closes it at once; PyTorch keeps that
 * tensor for the backward pass (the gradient of {@code x * c} is {@code c}), and once the garbage
 * collector frees the buffer, gradients read freed memory: wrong or NaN, now and then. Here the
 * constant is copied into memory of PyTorch's own before it enters the graph.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code x * c}. */
  public static NDArray times(NDArray x, Number c) {
    try (NDArray constant = owned(x, c)) {
      return x.mul(constant);
    }
  }

  /** {@code x / c}. */
  public static NDArray dividedBy(NDArray x, Number c) {
    try (NDArray constant = owned(x, c)) {
      return x.div(constant);
    }
  }

  /** {@code x ^ p}. */
  public static NDArray power(NDArray x, Number p) {
    try (NDArray constant = owned(x, p)) {
      return x.pow(constant);
    }
  }

  private static NDArray owned(NDArray like, Number value) {
    try (NDArray onJavaMemory = like.getManager().create(value)) {
      return onJavaMemory.duplicate();
    }
  }
}
