package org.neurite.models.reference;

import java.util.function.DoubleUnaryOperator;

/** Plain float64 loops for the layers the families share. Activations are [tokens][features]. */
final class RefMath {
  private RefMath() {}

  /** nn.Linear: y = x W^T + b, with W stored [out][in]; b may be null. */
  static double[][] linear(double[][] x, double[][] w, double[] b) {
    double[][] y = new double[x.length][w.length];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < w.length; o++) {
        double s = b == null ? 0.0 : b[o];
        double[] row = w[o];
        for (int i = 0; i < row.length; i++) {
          s += x[t][i] * row[i];
        }
        y[t][o] = s;
      }
    }
    return y;
  }

  /** GPT-2's Conv1D: y = x W + b, with W stored [in][out]. */
  static double[][] conv1d(double[][] x, double[][] w, double[] b) {
    int out = w[0].length;
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int i = 0; i < w.length; i++) {
          s += x[t][i] * w[i][o];
        }
        y[t][o] = s;
      }
    }
    return y;
  }

  /** nn.LayerNorm over the last axis: (x - mean) / sqrt(biased variance + eps) * g + b. */
  static double[][] layerNorm(double[][] x, double[] g, double[] b, double eps) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double[] row = x[t];
      double mean = 0;
      for (double v : row) {
        mean += v;
      }
      mean /= row.length;
      double var = 0;
      for (double v : row) {
        var += (v - mean) * (v - mean);
      }
      var /= row.length;
      double inv = 1.0 / Math.sqrt(var + eps);
      y[t] = new double[row.length];
      for (int i = 0; i < row.length; i++) {
        y[t][i] = (row[i] - mean) * inv * g[i] + b[i];
      }
    }
    return y;
  }

  /** Llama's RMSNorm: x / sqrt(mean(x^2) + eps) * g. */
  static double[][] rmsNorm(double[][] x, double[] g, double eps) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double[] row = x[t];
      double ms = 0;
      for (double v : row) {
        ms += v * v;
      }
      ms /= row.length;
      double inv = 1.0 / Math.sqrt(ms + eps);
      y[t] = new double[row.length];
      for (int i = 0; i < row.length; i++) {
        y[t][i] = g[i] * (row[i] * inv);
      }
    }
    return y;
  }

  /** RMSNorm of each head's {@code headDim} components separately (Qwen3's and Gemma 3's q_norm / k_norm). */
  static double[][] rmsNormHeads(double[][] x, int heads, int headDim, double[] g, double eps) {
    double[][] y = new double[x.length][heads * headDim];
    for (int h = 0; h < heads; h++) {
      double[][] head = rmsNorm(columns(x, h * headDim, headDim), g, eps);
      for (int t = 0; t < x.length; t++) {
        System.arraycopy(head[t], 0, y[t], h * headDim, headDim);
      }
    }
    return y;
  }

  /** 1 + w: the scale of a Gemma RMSNorm whose stored weight is w. */
  static double[] plusOne(double[] w) {
    double[] g = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      g[i] = 1.0 + w[i];
    }
    return g;
  }

  /** cap * tanh(x / cap), element-wise (Gemma 2's final logit soft-capping). */
  static double[][] softcap(double[][] x, double cap) {
    return map(x, v -> cap * Math.tanh(v / cap));
  }

  /** Columns [from, from + width) of every row. */
  static double[][] columns(double[][] x, int from, int width) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = java.util.Arrays.copyOfRange(x[t], from, from + width);
    }
    return y;
  }

  /** x * s, element-wise. */
  static double[][] scale(double[][] x, double s) {
    return map(x, v -> v * s);
  }

  /** Softmax of a vector, max-shifted; entries of -infinity get probability 0. */
  static double[] softmax(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double[] p = new double[v.length];
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      p[i] = Math.exp(v[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < v.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** a + b, element-wise. */
  static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][];
    for (int t = 0; t < a.length; t++) {
      y[t] = new double[a[t].length];
      for (int i = 0; i < a[t].length; i++) {
        y[t][i] = a[t][i] + b[t][i];
      }
    }
    return y;
  }

  /** f(x), element-wise. */
  static double[][] map(double[][] x, DoubleUnaryOperator f) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = new double[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        y[t][i] = f.applyAsDouble(x[t][i]);
      }
    }
    return y;
  }

  /** a * b, element-wise. */
  static double[][] multiply(double[][] a, double[][] b) {
    double[][] y = new double[a.length][];
    for (int t = 0; t < a.length; t++) {
      y[t] = new double[a[t].length];
      for (int i = 0; i < a[t].length; i++) {
        y[t][i] = a[t][i] * b[t][i];
      }
    }
    return y;
  }

  /** A deep copy. */
  static double[][] copy(double[][] x) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = x[t].clone();
    }
    return y;
  }

  /** Rows {@code ids} of an embedding table. */
  static double[][] gather(double[][] table, long[] ids, String what) {
    double[][] y = new double[ids.length][];
    for (int t = 0; t < ids.length; t++) {
      if (ids[t] < 0 || ids[t] >= table.length) {
        throw new IllegalArgumentException(what + " " + ids[t] + " at position " + t + " is outside [0, "
            + table.length + ")");
      }
      y[t] = table[(int) ids[t]].clone();
    }
    return y;
  }
}
