package org.neurite.analysis.stats;

/** Which value is the median of an even number of values. */
public enum MedianRule {
  /**
   * The lower of the two middle values, {@code x_(n/2)} counting from 1 ({@code torch.median}, and
   * the {@link RowMagnitudes} convention): always one of the values.
   */
  LOWER,
  /** The mean of the two middle values ({@code numpy.median}, {@code torch.quantile(0.5)}). */
  MIDPOINT;

  /** The median of {@code sorted[from, to)}, already in ascending order and non-empty. */
  public double of(double[] sorted, int from, int to) {
    int n = to - from;
    int lower = from + (n - 1) / 2;
    return this == LOWER || n % 2 == 1 ? sorted[lower] : (sorted[lower] + sorted[lower + 1]) / 2;
  }
}
