package org.neurite.analysis.contrast;

import org.neurite.analysis.stats.UnitStats;

/** A per-unit statistic of a group that a contrast compares. */
public enum Statistic {
  /** {@code μ = Σx/n} (skill unlearning's Δ, EigenShift's Δ_i). */
  MEAN,
  /** {@code Σ|x|/n} (NAG's impact; the SP baseline's abs-mean ratio). */
  MEAN_ABS,
  /** {@code E[x²]} (CHESS). */
  MEAN_SQUARE,
  /** {@code #(x > t)/n} (LAPE, A5). */
  ACTIVE_PROBABILITY;

  /** The statistic of group {@code g}, {@code [U]}. */
  public double[] of(UnitStats stats, int g) {
    return switch (this) {
      case MEAN -> stats.mean(g);
      case MEAN_ABS -> stats.meanAbs(g);
      case MEAN_SQUARE -> stats.meanSquare(g);
      case ACTIVE_PROBABILITY -> stats.activeProbability(g);
    };
  }
}
