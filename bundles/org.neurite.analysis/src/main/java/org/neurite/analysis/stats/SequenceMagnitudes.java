package org.neurite.analysis.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.neurite.api.NeuriteException;

/**
 * Magnitude statistics of one sequence's hidden state {@code h ∈ R^{S×d}} at one hook point (B5,
 * massive activations; Sun et al. 2024), over its S real positions only (padding is left out, so a
 * sequence gives the same values in any batch):
 *
 * <ul>
 *   <li>{@code max|h|} over all S·d entries, where it is (real position, unit; the first in
 *       position-major order on ties), and {@code median|h|} over the same entries;
 *   <li>how many entries have {@code |a| > absThreshold}, how many {@code |a| / median ≥
 *       ratioThreshold}, and how many both (Sun et al.'s massive activation: 100 and 1000);
 *   <li>per real position t, {@code max_u |h_t| / median_u |h_t|} (NaN where that median is 0).
 * </ul>
 *
 * @param positions S, the sequence's real positions
 * @param width d, the units per position
 * @param maxAbs the largest magnitude
 * @param maxPosition its position among the real ones (0 = the sequence's first real token)
 * @param maxUnit its unit
 * @param median the median magnitude over all S·d entries
 * @param aboveAbs entries with {@code |a| > absThreshold}
 * @param aboveRatio entries with {@code |a| / median ≥ ratioThreshold} (none when the median is 0)
 * @param massive entries with both
 * @param positionRatios per real position, its max / median magnitude across units
 */
public record SequenceMagnitudes(int positions, int width, double maxAbs, int maxPosition, int maxUnit, double median,
    long aboveAbs, long aboveRatio, long massive, double[] positionRatios) {

  public SequenceMagnitudes {
    positionRatios = positionRatios.clone();
  }

  @Override
  public double[] positionRatios() {
    return positionRatios.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SequenceMagnitudes o && o.positions == positions && o.width == width
        && Double.compare(o.maxAbs, maxAbs) == 0 && o.maxPosition == maxPosition && o.maxUnit == maxUnit
        && Double.compare(o.median, median) == 0 && o.aboveAbs == aboveAbs && o.aboveRatio == aboveRatio
        && o.massive == massive && Arrays.equals(o.positionRatios, positionRatios);
  }

  @Override
  public int hashCode() {
    return Objects.hash(positions, width, maxAbs, maxPosition, maxUnit, median) * 31 + Arrays.hashCode(positionRatios);
  }

  /** {@code max|h| / median|h|}, or NaN when the median is 0. */
  public double ratio() {
    return median > 0 ? maxAbs / median : Double.NaN;
  }

  /**
   * The statistics of every sequence of a batch.
   *
   * @param value a hook point's value [batch, pos, d]
   * @param mask the attention mask [batch, pos], 1 at real tokens
   * @throws NeuriteException if the value is not [batch, pos, d] of the mask's batch and length, or
   *     a sequence has no real position
   */
  public static List<SequenceMagnitudes> of(NDArray value, NDArray mask, MedianRule rule, double absThreshold,
      double ratioThreshold) {
    long[] shape = value.getShape().getShape();
    long[] maskShape = mask.getShape().getShape();
    if (shape.length != 3 || maskShape.length != 2 || shape[0] != maskShape[0] || shape[1] != maskShape[1]) {
      throw new NeuriteException("Sequence magnitudes need a value [batch, pos, d] and a mask [batch, pos]; got "
          + value.getShape() + " and " + mask.getShape() + ". Give a residual-stream hook point such as"
          + " blocks.0.hook_resid_post.");
    }
    int b = (int) shape[0];
    int t = (int) shape[1];
    int d = (int) shape[2];
    double[] x = value.toType(DataType.FLOAT64, false).toDoubleArray();
    long[] real = mask.toType(DataType.INT64, false).toLongArray();
    List<SequenceMagnitudes> out = new ArrayList<>(b);
    for (int s = 0; s < b; s++) {
      out.add(one(x, real, s, t, d, rule, absThreshold, ratioThreshold));
    }
    return out;
  }

  private static SequenceMagnitudes one(double[] x, long[] real, int s, int t, int d, MedianRule rule,
      double absThreshold, double ratioThreshold) {
    int count = 0;
    for (int p = 0; p < t; p++) {
      count += real[s * t + p] != 0 ? 1 : 0;
    }
    if (count == 0) {
      throw new NeuriteException("Sequence " + s + " of the batch has no real token; give every example at least"
          + " one token.");
    }
    double[] all = new double[count * d];
    double[] row = new double[d];
    double[] positionRatios = new double[count];
    double max = -1;
    int maxPosition = -1;
    int maxUnit = -1;
    long aboveAbs = 0;
    int at = 0;
    for (int p = 0, q = 0; p < t; p++) {
      if (real[s * t + p] == 0) {
        continue;
      }
      int base = (s * t + p) * d;
      double rowMax = -1;
      for (int u = 0; u < d; u++) {
        double a = Math.abs(x[base + u]);
        row[u] = a;
        all[at++] = a;
        rowMax = Math.max(rowMax, a);
        aboveAbs += a > absThreshold ? 1 : 0;
        if (a > max) {
          max = a;
          maxPosition = q;
          maxUnit = u;
        }
      }
      Arrays.sort(row);
      double rowMedian = rule.of(row, 0, d);
      positionRatios[q] = rowMedian > 0 ? rowMax / rowMedian : Double.NaN;
      q++;
    }
    double[] sorted = all.clone();
    Arrays.sort(sorted);
    double median = rule.of(sorted, 0, sorted.length);
    long aboveRatio = 0;
    long massive = 0;
    if (median > 0) {
      for (double a : all) {
        boolean high = a / median >= ratioThreshold;
        aboveRatio += high ? 1 : 0;
        massive += high && a > absThreshold ? 1 : 0;
      }
    }
    return new SequenceMagnitudes(count, d, max, maxPosition, maxUnit, median, aboveAbs, aboveRatio, massive,
        positionRatios);
  }
}
