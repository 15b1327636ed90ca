package org.neurite.analysis.contrast;

import java.util.Arrays;

/**
 * Average precision of a unit's values as a classifier of positive over negative examples: the
 * "expert unit" score of Cuadros et al. 2022 that relation-specific neurons rank by. Defined as
 * scikit-learn's {@code average_precision_score}: over the distinct values in decreasing order
 * (tied values form one threshold), {@code AP = Σ_n (R_n − R_{n−1}) · P_n}, with R_n and P_n the
 * recall and precision of calling everything at or above the n-th value positive. 1 when every
 * positive is above every negative; about the positives' share when the values carry nothing.
 */
public final class AveragePrecision {
  private AveragePrecision() {}

  /**
   * The AP of values that rank {@code positives} over {@code negatives}.
   *
   * @throws IllegalArgumentException if there is no positive (AP is undefined)
   */
  public static double of(double[] positives, double[] negatives) {
    if (positives.length == 0) {
      throw new IllegalArgumentException("average precision needs at least one positive example");
    }
    double[] pos = positives.clone();
    double[] neg = negatives.clone();
    Arrays.sort(pos);
    Arrays.sort(neg);
    return sorted(pos, neg);
  }

  /** {@link #of} on values already sorted ascending (the arrays are read, not changed). */
  static double sorted(double[] pos, double[] neg) {
    int i = pos.length - 1;
    int j = neg.length - 1;
    long tp = 0;
    long fp = 0;
    double ap = 0;
    double recall = 0;
    while (i >= 0) {
      double v = j < 0 || Double.compare(pos[i], neg[j]) >= 0 ? pos[i] : neg[j];
      while (i >= 0 && Double.compare(pos[i], v) == 0) {
        tp++;
        i--;
      }
      while (j >= 0 && Double.compare(neg[j], v) == 0) {
        fp++;
        j--;
      }
      double r = (double) tp / pos.length;
      ap += (r - recall) * ((double) tp / (tp + fp));
      recall = r;
    }
    return ap;
  }

  /**
   * The AP of every unit, from rows of values.
   *
   * @param rows row-major {@code [n, units]}
   * @param units the row width
   * @param positive per row: a positive example
   * @param chosen per row: whether the row takes part (negatives not drawn, unknown facts left out)
   * @return {@code [units]}
   */
  public static double[] perUnit(float[] rows, int units, boolean[] positive, boolean[] chosen) {
    int n = positive.length;
    if (rows.length != (long) n * units || chosen.length != n) {
      throw new IllegalArgumentException(rows.length + " values for " + n + " rows of " + units + " units");
    }
    int p = 0;
    int q = 0;
    for (int r = 0; r < n; r++) {
      if (chosen[r]) {
        if (positive[r]) {
          p++;
        } else {
          q++;
        }
      }
    }
    double[] pos = new double[p];
    double[] neg = new double[q];
    double[] out = new double[units];
    for (int u = 0; u < units; u++) {
      int a = 0;
      int b = 0;
      for (int r = 0; r < n; r++) {
        if (chosen[r]) {
          if (positive[r]) {
            pos[a++] = rows[r * units + u];
          } else {
            neg[b++] = rows[r * units + u];
          }
        }
      }
      if (p == 0) {
        throw new IllegalArgumentException("average precision needs at least one positive example");
      }
      Arrays.sort(pos);
      Arrays.sort(neg);
      out[u] = sorted(pos, neg);
    }
    return out;
  }
}
