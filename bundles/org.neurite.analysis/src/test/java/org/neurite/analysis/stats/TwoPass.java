package org.neurite.analysis.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The straightforward reference: all rows of a group gathered, then two passes in float64 (mean,
 * then squared deviations), and brute force for everything else.
 */
final class TwoPass {
  final long[] count;
  final double[][] mean;
  final double[][] variance;
  final double[][] sampleVariance;
  final long[][] active;
  final double[][] meanAbs;
  final double[][] meanSquare;
  final double[][] min;
  final double[][] max;
  final List<List<double[]>> rowsByGroup = new ArrayList<>();

  TwoPass(List<RandomRows.Batch> batches, int units, int groups, double activeAbove) {
    for (int g = 0; g < groups; g++) {
      rowsByGroup.add(new ArrayList<>());
    }
    for (RandomRows.Batch b : batches) {
      for (int r = 0; r < b.rows().length; r++) {
        rowsByGroup.get(b.groups()[r]).add(b.rows()[r]);
      }
    }
    count = new long[groups];
    mean = new double[groups][units];
    variance = new double[groups][units];
    sampleVariance = new double[groups][units];
    active = new long[groups][units];
    meanAbs = new double[groups][units];
    meanSquare = new double[groups][units];
    min = new double[groups][units];
    max = new double[groups][units];
    for (int g = 0; g < groups; g++) {
      List<double[]> rows = rowsByGroup.get(g);
      int n = rows.size();
      count[g] = n;
      for (int u = 0; u < units; u++) {
        double sum = 0;
        double abs = 0;
        double squares = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : rows) {
          sum += row[u];
          abs += Math.abs(row[u]);
          squares += row[u] * row[u];
          lo = Math.min(lo, row[u]);
          hi = Math.max(hi, row[u]);
          active[g][u] += row[u] > activeAbove ? 1 : 0;
        }
        double mu = sum / n;
        double m2 = 0;
        for (double[] row : rows) {
          m2 += (row[u] - mu) * (row[u] - mu);
        }
        mean[g][u] = mu;
        variance[g][u] = m2 / n;
        sampleVariance[g][u] = m2 / (n - 1);
        meanAbs[g][u] = abs / n;
        meanSquare[g][u] = squares / n;
        min[g][u] = lo;
        max[g][u] = hi;
      }
    }
  }

  /** The exact lower quantile {@code x_(k)}, {@code k = max(1, ceil(q n))}, of a group's unit. */
  double quantile(int g, int u, double q) {
    double[] values = rowsByGroup.get(g).stream().mapToDouble(row -> row[u]).sorted().toArray();
    int k = (int) Math.max(1, Math.ceil(q * values.length));
    return values[k - 1];
  }

  /** How often each unit is among a row's k largest (by value or magnitude), counted per group. */
  long[][] topK(int k, boolean magnitude, int units) {
    long[][] counts = new long[rowsByGroup.size()][units];
    for (int g = 0; g < rowsByGroup.size(); g++) {
      for (double[] row : rowsByGroup.get(g)) {
        Integer[] order = new Integer[units];
        for (int u = 0; u < units; u++) {
          order[u] = u;
        }
        Arrays.sort(order, (a, b) -> Double.compare(magnitude ? Math.abs(row[b]) : row[b],
            magnitude ? Math.abs(row[a]) : row[a]));
        for (int j = 0; j < k; j++) {
          counts[g][order[j]]++;
        }
      }
    }
    return counts;
  }
}
