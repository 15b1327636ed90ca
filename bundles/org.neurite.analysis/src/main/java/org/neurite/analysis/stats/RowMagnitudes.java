package org.neurite.analysis.stats;

/**
 * Per-row magnitude statistics of one group (B5, massive activations): for each row, the largest
 * magnitude across units {@code max_u |x|} and the ratio {@code r = max_u |x| / median_u |x|}
 * (the median of U values is the lower middle one, {@code torch.median}'s convention). Rows whose
 * median is 0 have no ratio: they count in {@link #rows()} but not in {@link #ratioRows()}.
 *
 * <p>Row numbers count the rows an accumulator has seen, from 0, in the order they were added;
 * a merge places the other side's rows after this side's. Ties keep the earliest row.
 *
 * @param rows rows seen
 * @param ratioRows rows with a non-zero median
 * @param sumRatio sum of {@code r} over those rows
 * @param maxRatio the largest {@code r}, or NaN if no row had one
 * @param maxRatioRow the row of {@code maxRatio}, or -1
 * @param maxRatioUnit the unit holding that row's largest magnitude, or -1
 * @param sumMaxAbs sum over rows of {@code max_u |x|}
 * @param maxAbs the largest magnitude seen, or NaN if no rows
 * @param maxAbsRow its row, or -1
 * @param maxAbsUnit its unit, or -1
 */
public record RowMagnitudes(long rows, long ratioRows, double sumRatio, double maxRatio, long maxRatioRow,
    int maxRatioUnit, double sumMaxAbs, double maxAbs, long maxAbsRow, int maxAbsUnit) {

  /** No rows yet. */
  public static RowMagnitudes empty() {
    return new RowMagnitudes(0, 0, 0, Double.NaN, -1, -1, 0, Double.NaN, -1, -1);
  }

  /** The mean ratio over rows that have one, or NaN. */
  public double meanRatio() {
    return ratioRows == 0 ? Double.NaN : sumRatio / ratioRows;
  }

  /** The mean of {@code max_u |x|} over rows, or NaN. */
  public double meanMaxAbs() {
    return rows == 0 ? Double.NaN : sumMaxAbs / rows;
  }

  /** This group's statistics with one more row (row numbers must come in increasing order). */
  RowMagnitudes with(long row, double rowMax, int rowArgMax, double rowMedian) {
    long newRatioRows = ratioRows;
    double newSumRatio = sumRatio;
    double newMaxRatio = maxRatio;
    long newMaxRatioRow = maxRatioRow;
    int newMaxRatioUnit = maxRatioUnit;
    if (rowMedian > 0) {
      double ratio = rowMax / rowMedian;
      newRatioRows++;
      newSumRatio += ratio;
      if (newMaxRatioRow < 0 || ratio > newMaxRatio || (ratio == newMaxRatio && row < newMaxRatioRow)) {
        newMaxRatio = ratio;
        newMaxRatioRow = row;
        newMaxRatioUnit = rowArgMax;
      }
    }
    double newMaxAbs = maxAbs;
    long newMaxAbsRow = maxAbsRow;
    int newMaxAbsUnit = maxAbsUnit;
    if (newMaxAbsRow < 0 || rowMax > newMaxAbs || (rowMax == newMaxAbs && row < newMaxAbsRow)) {
      newMaxAbs = rowMax;
      newMaxAbsRow = row;
      newMaxAbsUnit = rowArgMax;
    }
    return new RowMagnitudes(rows + 1, newRatioRows, newSumRatio, newMaxRatio, newMaxRatioRow, newMaxRatioUnit,
        sumMaxAbs + rowMax, newMaxAbs, newMaxAbsRow, newMaxAbsUnit);
  }

  /**
   * This group with {@code later}'s rows, whose row numbers are shifted by {@code rowOffset} (the
   * rows before them: a merge of shards), or by 0 (other groups of the same stream: pooling).
   */
  RowMagnitudes merge(RowMagnitudes later, long rowOffset) {
    boolean takeRatio = later.maxRatioRow >= 0 && (maxRatioRow < 0 || later.maxRatio > maxRatio
        || (later.maxRatio == maxRatio && later.maxRatioRow + rowOffset < maxRatioRow));
    boolean takeAbs = later.maxAbsRow >= 0 && (maxAbsRow < 0 || later.maxAbs > maxAbs
        || (later.maxAbs == maxAbs && later.maxAbsRow + rowOffset < maxAbsRow));
    return new RowMagnitudes(rows + later.rows, ratioRows + later.ratioRows, sumRatio + later.sumRatio,
        takeRatio ? later.maxRatio : maxRatio, takeRatio ? later.maxRatioRow + rowOffset : maxRatioRow,
        takeRatio ? later.maxRatioUnit : maxRatioUnit, sumMaxAbs + later.sumMaxAbs,
        takeAbs ? later.maxAbs : maxAbs, takeAbs ? later.maxAbsRow + rowOffset : maxAbsRow,
        takeAbs ? later.maxAbsUnit : maxAbsUnit);
  }
}
