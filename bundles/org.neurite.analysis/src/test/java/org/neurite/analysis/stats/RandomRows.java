package org.neurite.analysis.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random batches of rows for the statistics tests: each unit has its own offset (up to ±40) and
 * scale, a third of the values are clipped to 0 (like ReLU outputs, so min, P(x>0) and ties are
 * exercised), and batches hold one group, several groups in order, or several groups shuffled.
 */
final class RandomRows {
  /** One batch: the values as the backend holds them, read back in float64, and the group of each row. */
  record Batch(double[][] rows, int[] groups) {}

  private RandomRows() {}

  static List<Batch> batches(long seed, int count, int units, int groups, int maxRows) {
    Random random = new Random(seed);
    double[] offset = new double[units];
    double[] scale = new double[units];
    for (int u = 0; u < units; u++) {
      offset[u] = (random.nextDouble() - 0.5) * 80;
      scale[u] = Math.exp(random.nextGaussian());
    }
    List<Batch> batches = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      int n = b % 7 == 3 ? 0 : 1 + random.nextInt(maxRows);
      int[] g = new int[n];
      int mode = random.nextInt(3);
      int single = random.nextInt(groups);
      for (int r = 0; r < n; r++) {
        g[r] = mode == 0 ? single : random.nextInt(groups);
      }
      if (mode == 1) {
        java.util.Arrays.sort(g);
      }
      double[][] rows = new double[n][units];
      for (int r = 0; r < n; r++) {
        for (int u = 0; u < units; u++) {
          double v = offset[u] + g[r] * 0.5 + scale[u] * random.nextGaussian();
          rows[r][u] = random.nextInt(3) == 0 ? 0 : v;
        }
      }
      batches.add(new Batch(rows, g));
    }
    return batches;
  }

  /** The batch as an array of {@code type} in {@code scope}; its rows are replaced by the values the array holds. */
  static NDArray array(NDManager scope, Batch batch, int units, DataType type) {
    int n = batch.rows().length;
    double[] flat = new double[n * units];
    for (int r = 0; r < n; r++) {
      System.arraycopy(batch.rows()[r], 0, flat, r * units, units);
    }
    NDArray values = scope.create(flat, new Shape(n, units)).toType(type, false);
    double[] held = values.toType(DataType.FLOAT64, false).toDoubleArray();
    for (int r = 0; r < n; r++) {
      System.arraycopy(held, r * units, batch.rows()[r], 0, units);
    }
    return values;
  }
}
