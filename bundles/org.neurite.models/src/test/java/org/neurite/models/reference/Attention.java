package org.neurite.models.reference;

/**
 * Scaled dot-product attention over one sequence with grouped key/value heads: query head h reads
 * key/value head {@code h / (heads / kvHeads)}, as HF's {@code repeat_kv} arranges them. Inputs
 * and output hold heads side by side ([tokens][head * headDim + d]), as the projections produce them
 * and {@code o_proj} consumes them.
 */
final class Attention {
  /** Whether query position i may attend to key position j. */
  @FunctionalInterface
  interface Mask {
    boolean visible(int query, int key);

    /** Causal: j <= i. */
    static Mask causal() {
      return (i, j) -> j <= i;
    }

    /** Causal within a window, as HF's sliding_window_overlay: j <= i and i - j < window. */
    static Mask slidingWindow(int window) {
      return (i, j) -> j <= i && i - j < window;
    }

    /** Every key visible (an encoder without padding). */
    static Mask none() {
      return (i, j) -> true;
    }
  }

  private Attention() {}

  /**
   * softmax(q k^T * scale, masked) v per head.
   *
   * @param q [T][heads * headDim]
   * @param k [T][kvHeads * headDim]
   * @param v [T][kvHeads * headDim]
   */
  static double[][] attend(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int headDim,
      double scale, Mask mask) {
    return attend(q, k, v, heads, kvHeads, headDim, scale, 0.0, mask);
  }

  /**
   * As {@link #attend(double[][], double[][], double[][], int, int, int, double, Mask)}, with Gemma 2's
   * logit soft-capping of the scaled scores before the mask: s becomes cap * tanh(s / cap); a cap of 0
   * means none.
   */
  static double[][] attend(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int headDim,
      double scale, double softcap, Mask mask) {
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(heads + " heads do not divide into " + kvHeads + " key/value heads");
    }
    int groups = heads / kvHeads;
    int tokens = q.length;
    double[][] out = new double[tokens][heads * headDim];
    for (int h = 0; h < heads; h++) {
      int qo = h * headDim;
      int ko = (h / groups) * headDim;
      for (int i = 0; i < tokens; i++) {
        double[] scores = new double[tokens];
        for (int j = 0; j < tokens; j++) {
          if (!mask.visible(i, j)) {
            scores[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double s = 0;
          for (int d = 0; d < headDim; d++) {
            s += q[i][qo + d] * k[j][ko + d];
          }
          scores[j] = softcap == 0.0 ? s * scale : softcap * Math.tanh(s * scale / softcap);
        }
        double[] p = RefMath.softmax(scores);
        for (int j = 0; j < tokens; j++) {
          if (p[j] == 0.0) {
            continue;
          }
          for (int d = 0; d < headDim; d++) {
            out[i][qo + d] += p[j] * v[j][ko + d];
          }
        }
      }
    }
    return out;
  }
}
