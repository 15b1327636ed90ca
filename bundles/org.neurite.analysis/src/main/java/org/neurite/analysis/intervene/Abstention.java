package org.neurite.analysis.intervene;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Objects;
import org.neurite.api.generate.FinishReason;
import org.neurite.api.generate.Generated;
import org.neurite.api.hook.GenerationSink;

/**
 * Abstention during generation (Key Space Detection, METHODS.md A3): at every decoding step (the
 * prompt pass and each generated token), when a sequence's last-position value at {@code hook}
 * lies inside the box {@code [low, high]} in every dimension, the sequence ends with finish reason
 * {@code abstained:<reason>} and its answer is replaced by {@code text}, as the authors' code
 * replaces it (the tokens generated before are dropped).
 *
 * @param hook the hook point, e.g. {@code blocks.2.mlp.hook_post} [batch, pos, d_mlp]
 * @param low the lower bound per dimension
 * @param high the upper bound per dimension
 * @param reason the finish reason's detail, e.g. {@code ksd}
 * @param text what an abstained sequence answers
 */
public record Abstention(String hook, double[] low, double[] high, String reason, String text) {
  public Abstention {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(text, "text");
    low = low.clone();
    high = high.clone();
    if (low.length != high.length) {
      throw new IllegalArgumentException("abstention bounds of unequal widths");
    }
  }

  @Override
  public double[] low() {
    return low.clone();
  }

  @Override
  public double[] high() {
    return high.clone();
  }

  /** Whether {@code x} lies inside the box in every dimension (NaN never does). */
  public boolean inside(float[] x, int from) {
    for (int d = 0; d < low.length; d++) {
      float v = x[from + d];
      if (!(v >= low[d] && v <= high[d])) {
        return false;
      }
    }
    return true;
  }

  /** The sink that checks each unfinished sequence's last position [batch, pos, width] and abstains. */
  public GenerationSink sink() {
    return (step, name, value) -> {
      long[] shape = value.getShape().getShape();
      int width = (int) shape[shape.length - 1];
      if (width != low.length) {
        throw new org.neurite.api.NeuriteException("The abstention box has " + low.length + " dimensions but " + name
            + " has " + width + "; build it at this hook point of this model.");
      }
      float[] x = last(value);
      for (int row = 0; row < shape[0]; row++) {
        if (!step.finished(row) && inside(x, row * width)) {
          step.abstain(row, reason);
        }
      }
    };
  }

  /** The answer of a generated sequence: replaced by {@link #text} when this abstention ended it. */
  public Generated answer(Generated g) {
    FinishReason f = g.finishReason();
    if (f.kind() != FinishReason.Kind.ABSTAINED || !f.detail().equals(reason)) {
      return g;
    }
    return new Generated(g.index(), g.promptIds(), new long[0], text, f, g.seed());
  }

  private static float[] last(NDArray value) {
    long p = value.getShape().get(1);
    return value.get(":, " + (p - 1) + ", :").toType(DataType.FLOAT32, false).toFloatArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Abstention a && a.hook.equals(hook) && Arrays.equals(a.low, low) && Arrays.equals(a.high, high)
        && a.reason.equals(reason) && a.text.equals(text);
  }

  @Override
  public int hashCode() {
    return hook.hashCode() * 31 + Arrays.hashCode(low);
  }

  @Override
  public String toString() {
    return "abstain at " + hook + " inside a box of " + low.length + " dimensions (" + reason + ")";
  }
}
