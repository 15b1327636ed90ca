package org.neurite.analysis.contrast;

import org.neurite.api.NeuriteException;

/**
 * z-scores {@code z = (s − mean) / std}, with {@code std = sqrt(Σ(s − mean)²/(m − ddof))} over m
 * values ({@code ddof} 0 as {@code scipy.stats.zscore}, 1 as {@code torch.std}). Where every value
 * is equal the z-score is 0 (scipy gives NaN).
 */
public final class ZScores {
  private ZScores() {}

  /**
   * Across groups, per unit: CULNIG's culture-specific filter (A1, keep z ≥ 0.5 across the 8
   * countries). {@code scores [G][U]} gives {@code [G][U]}.
   */
  public static double[][] acrossGroups(double[][] scores, int ddof) {
    if (scores == null || scores.length < 2) {
      throw new NeuriteException("z-scores across groups need at least two groups; got "
          + (scores == null ? 0 : scores.length) + ".");
    }
    checkDdof(ddof, scores.length);
    int units = scores[0].length;
    double[][] z = new double[scores.length][units];
    double[] column = new double[scores.length];
    for (int u = 0; u < units; u++) {
      for (int g = 0; g < scores.length; g++) {
        if (scores[g].length != units) {
          throw new NeuriteException("Group " + g + " has scores for " + scores[g].length + " units, group 0 for "
              + units + ": give every group the same units.");
        }
        column[g] = scores[g][u];
      }
      double[] zu = of(column, ddof, "unit " + u);
      for (int g = 0; g < scores.length; g++) {
        z[g][u] = zu[g];
      }
    }
    return z;
  }

  /** Across the units of one site: NeuroStrike's rule on probe weights (A4, keep |z| > 3 and w > 0). */
  public static double[] acrossUnits(double[] scores, int ddof) {
    if (scores == null || scores.length < 2) {
      throw new NeuriteException("z-scores across units need at least two units; got "
          + (scores == null ? 0 : scores.length) + ".");
    }
    checkDdof(ddof, scores.length);
    return of(scores, ddof, "the scores");
  }

  private static void checkDdof(int ddof, int m) {
    if (ddof < 0 || ddof >= m) {
      throw new NeuriteException("ddof " + ddof + " does not fit " + m + " values: give 0 (population, as"
          + " scipy.stats.zscore) or 1 (sample, as torch.std).");
    }
  }

  private static double[] of(double[] values, int ddof, String where) {
    double mean = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new NeuriteException("z-scores need finite scores; " + where + " has " + v + ". Drop or fill the"
            + " non-finite scores first.");
      }
      mean += v;
    }
    mean /= values.length;
    double m2 = 0;
    for (double v : values) {
      m2 += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(m2 / (values.length - ddof));
    double[] z = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      z[i] = std == 0 ? 0 : (values[i] - mean) / std;
    }
    return z;
  }
}
