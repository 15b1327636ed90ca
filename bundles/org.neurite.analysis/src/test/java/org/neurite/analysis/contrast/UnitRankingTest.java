package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.TestBackend;
import org.neurite.api.NeuriteException;

/** AP and AUROC against brute force, with many ties. */
class UnitRankingTest {
  private static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  /** AP from the definition: precision and recall recounted at every distinct threshold, largest first. */
  static double bruteAp(double[] x, boolean[] y) {
    TreeSet<Double> thresholds = new TreeSet<>();
    Arrays.stream(x).forEach(thresholds::add);
    int positives = 0;
    for (boolean b : y) {
      positives += b ? 1 : 0;
    }
    double ap = 0;
    double previous = 0;
    for (double t : thresholds.descendingSet()) {
      int tp = 0;
      int fp = 0;
      for (int i = 0; i < x.length; i++) {
        if (x[i] >= t) {
          tp += y[i] ? 1 : 0;
          fp += y[i] ? 0 : 1;
        }
      }
      double recall = (double) tp / positives;
      ap += (recall - previous) * tp / (tp + fp);
      previous = recall;
    }
    return ap;
  }

  /** AUROC over every positive-negative pair, ties counting one half. */
  static double bruteAuroc(double[] x, boolean[] y) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        if (y[i] && !y[j]) {
          pairs++;
          wins += x[i] > x[j] ? 1 : x[i] == x[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  @Test
  void equalsBruteForceWithTies() {
    Random random = new Random(17);
    int n = 157;
    int units = 41;
    boolean[] labels = new boolean[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(5) == 0;
    }
    float[] flat = new float[n * units];
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < units; u++) {
        // few distinct values: ties everywhere; unit u leans towards the label by u/units
        int levels = 2 + u % 6;
        flat[i * units + u] = random.nextInt(levels) + (labels[i] && random.nextDouble() < (double) u / units ? 1 : 0);
      }
    }
    try (NDManager scope = backend.newScope("cpu")) {
      var values = scope.create(flat, new Shape(n, units));
      var doubles = values.toType(DataType.FLOAT64, false);
      int arrays = scope.getManagedArrays().size();
      double[] ap = UnitRanking.averagePrecision(values, labels);
      double[] auc = UnitRanking.auroc(doubles, labels);
      for (int u = 0; u < units; u++) {
        double[] column = new double[n];
        for (int i = 0; i < n; i++) {
          column[i] = flat[i * units + u];
        }
        assertEquals(bruteAp(column, labels), ap[u], 1e-12, "AP of unit " + u);
        assertEquals(bruteAuroc(column, labels), auc[u], 1e-12, "AUROC of unit " + u);
        assertEquals(ap[u], UnitRanking.averagePrecision(column, labels), 1e-12);
        assertEquals(auc[u], UnitRanking.auroc(column, labels), 1e-12);
      }
      assertEquals(arrays, scope.getManagedArrays().size(), "nothing is left in the caller's scope");
    }
    assertEquals(0, backend.openScopes());
  }

  @Test
  void handComputedCases() {
    boolean[] y = {true, false, true, false};
    assertEquals(1.0, UnitRanking.auroc(new double[] {4, 1, 3, 2}, y));
    assertEquals(1.0, UnitRanking.averagePrecision(new double[] {4, 1, 3, 2}, y));
    assertEquals(0.5, UnitRanking.auroc(new double[] {1, 1, 1, 1}, y), "all tied");
    assertEquals(0.5, UnitRanking.averagePrecision(new double[] {1, 1, 1, 1}, y), "all tied: the base rate");
    // sklearn: average_precision_score([1,0,1,0], [0.8,0.8,0.3,0.1]) = 0.5*0.5 + 0.5*(2/3) = 0.58333
    assertEquals(0.5 * 0.5 + 0.5 * (2.0 / 3), UnitRanking.averagePrecision(new double[] {0.8, 0.8, 0.3, 0.1}, y),
        1e-15);
    // roc_auc_score([1,0,1,0], [0.8,0.8,0.3,0.1]) = (0.5 + 1 + 0 + 1) / 4
    assertEquals(0.625, UnitRanking.auroc(new double[] {0.8, 0.8, 0.3, 0.1}, y), 1e-15);
  }

  @Test
  void badLabelsAreOneClearError() {
    assertEquals("All 3 labels are positive: a unit can only be scored as a classifier against both classes. Add"
        + " examples of the other class (e.g. prompts of other relations as negatives).",
        assertThrows(NeuriteException.class, () -> UnitRanking.averagePrecision(new double[] {1, 2, 3},
            new boolean[] {true, true, true})).getMessage());
    try (NDManager scope = backend.newScope("cpu")) {
      assertEquals("There are 2 rows but 3 labels: give one label per row, in the same order.",
          assertThrows(NeuriteException.class, () -> UnitRanking.auroc(scope.ones(new Shape(2, 4)),
              new boolean[] {true, false, true})).getMessage());
      assertEquals("Unit 1 has the value NaN: average precision and AUROC need finite values. Drop or fill those"
          + " rows first.", assertThrows(NeuriteException.class, () -> UnitRanking.auroc(
              scope.create(new float[] {0, Float.NaN, 1, 2}, new Shape(2, 2)), new boolean[] {true, false}))
              .getMessage());
    }
  }
}
