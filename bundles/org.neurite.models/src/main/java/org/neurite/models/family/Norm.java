package org.neurite.models.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.neurite.models.internal.core.Scalars;

/** A normalization over the last axis: LayerNorm (with bias) or RMSNorm. */
public interface Norm {
  NDArray apply(NDArray x);

  /** {@code torch.nn.functional.layer_norm}: one native call. */
  static Norm layerNorm(NDArray weight, NDArray bias, double eps) {
    Shape normalized = new Shape(weight.getShape().get(0));
    return x -> x.getNDArrayInternal().layerNorm(x, normalized, weight, bias, (float) eps).singletonOrThrow();
  }

  /** RMSNorm as Llama computes it: {@code w * x / sqrt(mean(x^2) + eps)}. */
  static Norm rmsNorm(NDArray weight, double eps) {
    return x -> {
      try (NDArray meanSquare = x.square().mean(new int[] {-1}, true); NDArray shifted = meanSquare.add(eps);
          NDArray inverse = Scalars.power(shifted, -0.5); NDArray normalized = x.mul(inverse)) {
        return normalized.mul(weight);
      }
    };
  }
}
