package org.neurite.methods.unlearning.internal;

import java.util.List;
import org.neurite.analysis.intervene.Abstention;
import org.neurite.api.NeuriteException;

/**
 * Key Space Detection's hypercube (METHODS.md A3; the authors' {@code probe.py} and
 * {@code get_layer_info_from_forget_act_stats}): per dimension the mean μ and the Welford sample
 * standard deviation σ (ddof 1) of the forget set's probe vectors, and {@code k*}, the smallest
 * multiplier (by bisection on [0, 10000] to a tolerance of 1e-5) with every probe vector inside
 * {@code μ ± k*·σ} in every dimension.
 *
 * @param mu the mean per dimension
 * @param sigma the sample standard deviation per dimension
 * @param k the multiplier k*
 * @param probes how many probe vectors built it
 */
record KeySpace(double[] mu, double[] sigma, double k, int probes) {
  static final double HIGH = 10000;
  static final double TOLERANCE = 1e-5;

  /** The hypercube of the probe vectors (each of the same width). */
  static KeySpace of(List<double[]> vectors, String where) {
    if (vectors.size() < 2) {
      throw new NeuriteException(where + ": Key Space Detection needs at least two probe queries of the forget skill"
          + " for a sample standard deviation; it has " + vectors.size() + ". Give the forget skill more examples.");
    }
    int d = vectors.get(0).length;
    double[] mean = new double[d];
    double[] m2 = new double[d];
    int n = 0;
    for (double[] x : vectors) {
      n++;
      for (int j = 0; j < d; j++) {
        double delta = x[j] - mean[j];
        mean[j] += delta / n;
        m2[j] += delta * (x[j] - mean[j]);
      }
    }
    double[] sigma = new double[d];
    for (int j = 0; j < d; j++) {
      sigma[j] = Math.sqrt(m2[j] / (n - 1));
    }
    double low = 0;
    double high = HIGH;
    if (!allInside(vectors, mean, sigma, high)) {
      throw new NeuriteException(where + ": some probe vector lies outside mu +- " + HIGH + " sigma in a dimension whose"
          + " sigma is 0 or tiny; the forget set's keys do not form a box. Give more varied forget examples.");
    }
    while (high - low > TOLERANCE) {
      double mid = (low + high) / 2;
      if (allInside(vectors, mean, sigma, mid)) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return new KeySpace(mean, sigma, high, n);
  }

  /** Whether every vector lies inside {@code μ ± k·σ} in every dimension. */
  static boolean allInside(List<double[]> vectors, double[] mu, double[] sigma, double k) {
    for (double[] x : vectors) {
      if (!inside(x, mu, sigma, k)) {
        return false;
      }
    }
    return true;
  }

  static boolean inside(double[] x, double[] mu, double[] sigma, double k) {
    for (int j = 0; j < mu.length; j++) {
      if (!(x[j] >= mu[j] - k * sigma[j] && x[j] <= mu[j] + k * sigma[j])) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code x} lies inside the scaled box {@code μ ± α·k*·σ}. */
  boolean flags(double[] x, double alpha) {
    return inside(x, mu, sigma, alpha * k);
  }

  /** The abstention over the box {@code μ ± α·k*·σ} at {@code hook}. */
  Abstention abstention(String hook, double alpha, String text) {
    double[] low = new double[mu.length];
    double[] high = new double[mu.length];
    for (int j = 0; j < mu.length; j++) {
      low[j] = mu[j] - alpha * k * sigma[j];
      high[j] = mu[j] + alpha * k * sigma[j];
    }
    return new Abstention(hook, low, high, "ksd", text);
  }
}
