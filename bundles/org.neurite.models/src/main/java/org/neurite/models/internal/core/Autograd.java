package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch autograd calls DJL's api does not expose. Grad mode is per thread in PyTorch;
 * a forward pass that needs gradients turns it on for its own thread and restores it before
 * returning, so no other call ever records a graph it did not ask for.
 */
final class Autograd {
  private Autograd() {}

  /** Turns gradient recording on for this thread; returns the previous state for {@link #restore}. */
  static boolean enable() {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    return previous;
  }

  static void restore(boolean previous) {
    JniUtils.setGradMode(previous);
  }

  /** Back-propagates from a scalar; the graph is freed afterwards. */
  static void backward(NDArray scalar) {
    try (NDArray seed = scalar.onesLike()) {
      JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, false, false);
    }
  }

  /** A leaf's accumulated gradient, or zeros where the target does not depend on it. */
  static NDArray gradientOf(NDArray leaf) {
    NDArray gradient = leaf.getGradient();
    if (gradient.getShape().equals(leaf.getShape())) {
      return gradient;
    }
    gradient.close();
    return leaf.zerosLike();
  }
}
