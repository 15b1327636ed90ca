package org.neurite.analysis.stats;

import java.util.Objects;
import java.util.Optional;
import org.neurite.api.NeuriteException;

/**
 * What an accumulator computes beyond the cheap statistics (count, mean, variance, activation
 * probability, mean |x|, E[x²], min, max), which it always computes.
 *
 * @param activeAbove a unit is active on a row when {@code x > activeAbove}; 0 gives LAPE's
 *     {@code P(x > 0)}
 * @param rowMagnitudes per row, {@code max_u |x|} and {@code max_u |x| / median_u |x|} across the
 *     units (B5, massive activations); costs a median per row
 * @param sketch the per-unit quantile sketch's layout, or empty for none; memory
 *     {@code 8·G·U·bins} bytes in the Java heap
 * @param topK for each row, count which {@code topK} units rank highest; 0 for none
 * @param topKRanking what the top-k ranks by
 */
public record StatsOptions(double activeAbove, boolean rowMagnitudes, Optional<SketchLayout> sketch, int topK,
    TopKRanking topKRanking) {
  public StatsOptions {
    Objects.requireNonNull(sketch, "sketch");
    Objects.requireNonNull(topKRanking, "topKRanking");
    if (Double.isNaN(activeAbove)) {
      throw new NeuriteException("activeAbove is NaN: give the threshold above which a unit counts as active,"
          + " e.g. 0.");
    }
    if (topK < 0) {
      throw new NeuriteException("topK is " + topK + ": give 0 (no top-k frequency) or the number of units to"
          + " count per row.");
    }
  }

  /** The cheap statistics only, active above 0. */
  public static StatsOptions cheap() {
    return new StatsOptions(0, false, Optional.empty(), 0, TopKRanking.VALUE);
  }

  /** The same, active above {@code threshold}. */
  public StatsOptions withActiveAbove(double threshold) {
    return new StatsOptions(threshold, rowMagnitudes, sketch, topK, topKRanking);
  }

  /** The same, plus per-row max and max/median of |x|. */
  public StatsOptions withRowMagnitudes() {
    return new StatsOptions(activeAbove, true, sketch, topK, topKRanking);
  }

  /** The same, plus a quantile sketch with this layout. */
  public StatsOptions withSketch(SketchLayout layout) {
    return new StatsOptions(activeAbove, rowMagnitudes, Optional.of(layout), topK, topKRanking);
  }

  /** The same, plus the top-k index frequency. */
  public StatsOptions withTopK(int k, TopKRanking ranking) {
    return new StatsOptions(activeAbove, rowMagnitudes, sketch, k, ranking);
  }
}
