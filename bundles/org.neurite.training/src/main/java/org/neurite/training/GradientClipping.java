package org.neurite.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Gradient clipping by total L2 norm, as {@code torch.nn.utils.clip_grad_norm_}: the norm of the
 * per-tensor norms; if {@code max / (norm + 1e-6)} is below 1, every gradient is multiplied by it.
 */
public final class GradientClipping {
  /**
   * @param norm the total norm before clipping
   * @param clipped whether the gradients were scaled down
   */
  public record Clip(double norm, boolean clipped) {}

  private GradientClipping() {}

  /** Clips {@code gradients} in place (with gradient recording off); {@code max} 0 only measures. */
  public static Clip clip(List<NDArray> gradients, double max) {
    double squares = 0;
    for (NDArray g : gradients) {
      try (NDArray norm = g.norm(); NDArray wide = norm.toType(DataType.FLOAT64, false)) {
        double n = wide.getDouble();
        squares += n * n;
      }
    }
    double total = Math.sqrt(squares);
    if (max == 0) {
      return new Clip(total, false);
    }
    double coefficient = max / (total + 1e-6);
    if (coefficient < 1) {
      for (NDArray g : gradients) {
        g.muli(coefficient);
      }
    }
    return new Clip(total, coefficient < 1);
  }
}
