package org.neurite.analysis.intervene;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What an intervention does to the chosen units' values [batch, pos, units] (METHODS.md P6). The
 * result replaces the value only at the chosen units and positions.
 */
public sealed interface Operation {

  /** The new values, of the same shape; unchosen entries are ignored. */
  NDArray apply(NDArray values, NDManager scope);

  /** A short name for provenance and reports: {@code zero}, {@code scale(2.0)}. */
  String describe();

  /** x -> 0 (ablation). */
  record Zero() implements Operation {
    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      return values.zerosLike();
    }

    @Override
    public String describe() {
      return "zero";
    }
  }

  /** x -> factor * x (2 to enhance, as CULNIG and knowledge neurons do). */
  record Scale(double factor) implements Operation {
    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      return values.mul(factor);
    }

    @Override
    public String describe() {
      return "scale(" + factor + ")";
    }
  }

  /** x -> value (clamp to a constant, as final-projection decoding does). */
  record Clamp(double value) implements Operation {
    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      return values.zerosLike().add(value);
    }

    @Override
    public String describe() {
      return "clamp(" + value + ")";
    }
  }

  /**
   * x -> means[unit]: mean ablation, with the per-unit means of recorded statistics.
   *
   * @param means one value per unit of the hook point (all units, not only the chosen ones)
   */
  record Mean(float[] means) implements Operation {
    public Mean {
      means = means.clone();
    }

    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      Shape shape = values.getShape();
      if (shape.get(shape.dimension() - 1) != means.length) {
        throw new IllegalArgumentException("mean ablation with " + means.length + " means at a hook point of "
            + shape.get(shape.dimension() - 1) + " units");
      }
      return values.zerosLike().add(scope.create(means).toType(values.getDataType(), false));
    }

    @Override
    public String describe() {
      return "mean";
    }
  }

  /**
   * x -> x + alpha * direction: steering along a direction of the hook point's space.
   *
   * @param direction one value per unit of the hook point
   */
  record Add(float[] direction, double alpha) implements Operation {
    public Add {
      direction = direction.clone();
    }

    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      return values.add(scope.create(direction).toType(values.getDataType(), false).mul(alpha));
    }

    @Override
    public String describe() {
      return "add(" + alpha + ")";
    }
  }

  /** x -> x * 1[|x| > threshold]: threshold sparsification (CHESS). */
  record Threshold(double threshold) implements Operation {
    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      return values.mul(values.abs().gt(threshold).toType(values.getDataType(), false));
    }

    @Override
    public String describe() {
      return "threshold(" + threshold + ")";
    }
  }

  /**
   * x -> the values another input produced at the same hook point (activation patching). The
   * source values are [batch, pos, units] of the same shape as the patched pass: run the source
   * input first with a record hook.
   */
  record Patch(NDArray source) implements Operation {
    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      if (!source.getShape().equals(values.getShape())) {
        throw new org.neurite.api.NeuriteException("Patching needs source values of the patched pass's shape "
            + values.getShape() + "; the source has " + source.getShape() + ". Pad both inputs to the same length.");
      }
      return source.toType(values.getDataType(), false);
    }

    @Override
    public String describe() {
      return "patch";
    }
  }
}
