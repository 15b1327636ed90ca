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

  /**
   * As {@link #apply(NDArray, NDManager)}, knowing the tokens of the pass (an operation whose
   * result depends on which token a value belongs to, such as the remap's seeded uniforms).
   */
  default NDArray apply(NDArray values, org.neurite.api.model.TokenBatch batch, NDManager scope) {
    return apply(values, scope);
  }

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

  /**
   * The Neuron Adjust remap (skill unlearning, METHODS.md A3; {@link GaussianRemap}): each value of a
   * unit is moved from the forget distribution onto the reflected retain one when the forget density
   * is the larger and a uniform U passes the gate. Units whose statistics are not finite, or whose
   * σ is not positive, are left as they are. Values are read to the host and computed in double.
   *
   * @param muRetain μ_r per unit of the hook point (all units)
   * @param sRetain σ_r per unit
   * @param muForget μ_f per unit
   * @param sForget σ_f per unit
   * @param seed the seed of the uniforms
   * @param onePerPass the authors' code: one U per sequence of a forward pass (keyed by the row's
   *     values), shared by all its positions and units; otherwise one U per value (keyed by the unit
   *     and the value)
   */
  record Remap(double[] muRetain, double[] sRetain, double[] muForget, double[] sForget, long seed, boolean onePerPass)
      implements Operation {
    public Remap {
      muRetain = muRetain.clone();
      sRetain = sRetain.clone();
      muForget = muForget.clone();
      sForget = sForget.clone();
      int n = muRetain.length;
      if (sRetain.length != n || muForget.length != n || sForget.length != n) {
        throw new IllegalArgumentException("remap statistics of unequal widths");
      }
    }

    /** Without the tokens: the uniforms are keyed by the position index alone (token id −1). */
    @Override
    public NDArray apply(NDArray values, NDManager scope) {
      return apply(values, null, scope);
    }

    /**
     * The uniforms are keyed by the seed, the unit, the token id and its index among the sequence's
     * real tokens in this pass, so a sequence gets the same values in any batch. With
     * {@code onePerPass}, one uniform per sequence, keyed by its real token ids.
     */
    @Override
    public NDArray apply(NDArray values, org.neurite.api.model.TokenBatch batch, NDManager scope) {
      Shape shape = values.getShape();
      int width = (int) shape.get(shape.dimension() - 1);
      if (width != muRetain.length) {
        throw new org.neurite.api.NeuriteException("The remap carries statistics of " + muRetain.length
            + " units but the hook point has " + width + "; use the remap table of this model's neuron set.");
      }
      float[] x = values.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
      int rows = (int) shape.get(0);
      int positions = (int) (shape.size() / ((long) rows * width));
      float[] out = x.clone();
      for (int row = 0; row < rows; row++) {
        long[] ids = batch == null ? null : batch.ids(row);
        int first = batch == null ? 0 : batch.firstReal(row);
        double shared = onePerPass ? GaussianRemap.uniform(seed, java.util.Arrays.hashCode(ids), -1) : 0;
        for (int t = 0; t < positions; t++) {
          int real = t - first;
          long token = ids != null && real >= 0 && real < ids.length ? ids[real] : -1;
          for (int u = 0; u < width; u++) {
            if (!(Double.isFinite(muRetain[u]) && Double.isFinite(muForget[u]) && sRetain[u] > 0 && sForget[u] > 0)) {
              continue;
            }
            int i = (row * positions + t) * width + u;
            double uniform = onePerPass ? shared : GaussianRemap.uniform(seed, ((long) u << 32) ^ real, token);
            out[i] = (float) GaussianRemap.remap(x[i], muRetain[u], sRetain[u], muForget[u], sForget[u], uniform);
          }
        }
      }
      return scope.create(out, shape).toType(values.getDataType(), false);
    }

    @Override
    public String describe() {
      return "remap(seed " + seed + (onePerPass ? ", one U per pass" : "") + ")";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Remap r && java.util.Arrays.equals(r.muRetain, muRetain)
          && java.util.Arrays.equals(r.sRetain, sRetain) && java.util.Arrays.equals(r.muForget, muForget)
          && java.util.Arrays.equals(r.sForget, sForget) && r.seed == seed && r.onePerPass == onePerPass;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(muRetain) * 31 + Long.hashCode(seed);
    }
  }
}
