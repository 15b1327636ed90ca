package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
  @Test
  void valuesWorkedByHandAsScikitLearnDefinesThem() {
    // scikit-learn's docstring example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] -> 0.8333...
    assertEquals(0.8333333333333333, AveragePrecision.of(new double[] {0.35, 0.8}, new double[] {0.1, 0.4}), 1e-15);
    assertEquals(1.0, AveragePrecision.of(new double[] {3, 2}, new double[] {1, 0}));
    // positives at the bottom: thresholds 1 (0/2), ... recall steps at ranks 3 and 4: 1/3 * 1/2 + 2/4 * 1/2
    assertEquals(0.5 * (1.0 / 3) + 0.5 * (2.0 / 4), AveragePrecision.of(new double[] {0, 1}, new double[] {2, 3}),
        1e-15);
    // one tie across classes is one threshold: precision 2/3 at recall 1
    assertEquals(2.0 / 3, AveragePrecision.of(new double[] {5, 5}, new double[] {5}), 1e-15);
    assertEquals(1.0, AveragePrecision.of(new double[] {1}, new double[0]));
    assertThrows(IllegalArgumentException.class, () -> AveragePrecision.of(new double[0], new double[] {1}));
  }

  @Test
  void equalsTheDefinitionByBruteForceOnRandomTiedValues() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 2 + random.nextInt(30);
      double[] values = new double[n];
      boolean[] positive = new boolean[n];
      for (int i = 0; i < n; i++) {
        values[i] = random.nextInt(6);
        positive[i] = random.nextInt(3) == 0;
      }
      positive[0] = true;
      double expected = bruteForce(values, positive);
      int p = 0;
      for (boolean b : positive) {
        p += b ? 1 : 0;
      }
      double[] pos = new double[p];
      double[] neg = new double[n - p];
      int a = 0;
      int b = 0;
      for (int i = 0; i < n; i++) {
        if (positive[i]) {
          pos[a++] = values[i];
        } else {
          neg[b++] = values[i];
        }
      }
      assertEquals(expected, AveragePrecision.of(pos, neg), 1e-12, "trial " + trial);
    }
  }

  /** Σ over each distinct threshold t, from the highest: (R(t) − R(previous)) · P(t). */
  private static double bruteForce(double[] values, boolean[] positive) {
    double[] thresholds = java.util.Arrays.stream(values).distinct().sorted().toArray();
    double ap = 0;
    double previous = 0;
    long positives = 0;
    for (boolean b : positive) {
      positives += b ? 1 : 0;
    }
    for (int k = thresholds.length - 1; k >= 0; k--) {
      long tp = 0;
      long called = 0;
      for (int i = 0; i < values.length; i++) {
        if (values[i] >= thresholds[k]) {
          called++;
          tp += positive[i] ? 1 : 0;
        }
      }
      double recall = (double) tp / positives;
      ap += (recall - previous) * tp / called;
      previous = recall;
    }
    return ap;
  }

  @Test
  void perUnitScoresEachColumnOverTheChosenRows() {
    // 4 rows x 2 units; row 3 not chosen
    float[] rows = {0.9f, 0.1f, 0.8f, 0.2f, 0.1f, 0.9f, 5f, -5f};
    boolean[] positive = {true, true, false, false};
    boolean[] chosen = {true, true, true, false};
    double[] ap = AveragePrecision.perUnit(rows, 2, positive, chosen);
    assertArrayEquals(new double[] {1.0, AveragePrecision.of(new double[] {0.1f, 0.2f}, new double[] {0.9f})}, ap,
        1e-12);
  }
}
