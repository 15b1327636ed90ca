package org.neurite.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.analysis.TestBackend;
import org.neurite.api.NeuriteException;

/** The cheap statistics against a two-pass float64 computation in plain Java. */
class UnitStatsAccumulatorTest {
  private static final int UNITS = 37;
  private static final List<String> GROUPS = List.of("en", "zh", "fr", "sw");
  private static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  enum InputType {
    FLOAT16(DataType.FLOAT16), FLOAT32(DataType.FLOAT32), FLOAT64(DataType.FLOAT64);

    final DataType type;

    InputType(DataType type) {
      this.type = type;
    }
  }

  static UnitStats accumulate(List<RandomRows.Batch> batches, DataType type, StatsOptions options, int sliced,
      int chunkRows) {
    try (UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend, "cpu", "blocks.0.mlp.hook_post", GROUPS,
        UNITS, options).paths(sliced, chunkRows * UNITS); NDManager caller = backend.newScope("cpu")) {
      for (RandomRows.Batch b : batches) {
        acc.add(RandomRows.array(caller, b, UNITS, type), b.groups());
      }
      return acc.snapshot();
    }
  }

  /**
   * Each input type, with batches of several groups summed by slices (up to 8 groups) and by
   * one-hot products (0), in row blocks of 100000 (one per batch) or 45 rows.
   */
  @ParameterizedTest
  @CsvSource({"FLOAT16, 8, 100000", "FLOAT32, 8, 100000", "FLOAT64, 8, 100000", "FLOAT32, 0, 100000",
      "FLOAT64, 0, 100000", "FLOAT32, 8, 45", "FLOAT32, 0, 45", "FLOAT16, 0, 45"})
  void equalsTwoPassFloat64(InputType input, int sliced, int chunkRows) {
    List<RandomRows.Batch> batches = RandomRows.batches(11 + input.ordinal(), 40, UNITS, GROUPS.size(), 300);
    int open = backend.openScopes();
    UnitStats stats = accumulate(batches, input.type, StatsOptions.cheap().withActiveAbove(0.25), sliced,
        chunkRows);
    assertEquals(open, backend.openScopes());
    TwoPass ref = new TwoPass(batches, UNITS, GROUPS.size(), 0.25);
    long total = 0;
    double worst = 0;
    for (int g = 0; g < GROUPS.size(); g++) {
      assertEquals(ref.count[g], stats.count(g), "count of " + GROUPS.get(g));
      total += ref.count[g];
      worst = Math.max(worst, maxRelative(ref.mean[g], stats.mean(g), 1e-6, "mean"));
      worst = Math.max(worst, maxRelative(ref.variance[g], stats.variance(g), 1e-6, "variance"));
      worst = Math.max(worst, maxRelative(ref.sampleVariance[g], stats.sampleVariance(g), 1e-6, "sample variance"));
      worst = Math.max(worst, maxRelative(ref.meanAbs[g], stats.meanAbs(g), 1e-6, "mean |x|"));
      worst = Math.max(worst, maxRelative(ref.meanSquare[g], stats.meanSquare(g), 1e-6, "E[x^2]"));
      assertArrayEquals(ref.active[g], stats.activeCount(g), "active counts of " + GROUPS.get(g));
      assertArrayEquals(ref.min[g], stats.min(g), "min of " + GROUPS.get(g));
      assertArrayEquals(ref.max[g], stats.max(g), "max of " + GROUPS.get(g));
      for (int u = 0; u < UNITS; u++) {
        assertEquals((double) ref.active[g][u] / ref.count[g], stats.activeProbability(g)[u], 0);
      }
    }
    assertEquals(total, stats.rows());
    System.out.printf("%s, sliced up to %d groups, blocks of %d rows: %d rows, largest relative error %.2e%n",
        input, sliced, chunkRows, total, worst);
  }

  static double maxRelative(double[] expected, double[] actual, double tolerance, String what) {
    double worst = 0;
    for (int u = 0; u < expected.length; u++) {
      double error = Math.abs(expected[u] - actual[u]) / Math.max(Math.abs(expected[u]), 1e-300);
      assertTrue(error <= tolerance, what + " of unit " + u + ": expected " + expected[u] + ", got " + actual[u]);
      worst = Math.max(worst, error);
    }
    return worst;
  }

  @Test
  void emptyGroupHasNeutralValues() {
    try (UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend, "cpu", "s", GROUPS, 3, StatsOptions.cheap());
        NDManager caller = backend.newScope("cpu")) {
      acc.add(caller.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)), 1);
      UnitStats stats = acc.snapshot();
      assertEquals(0, stats.count(0));
      assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
          Double.POSITIVE_INFINITY}, stats.min(0));
      assertTrue(Double.isNaN(stats.variance(0)[0]));
      assertArrayEquals(new double[] {2.5, 3.5, 4.5}, stats.mean(1));
      assertArrayEquals(new double[] {2.25, 2.25, 2.25}, stats.variance(1));
      assertArrayEquals(new double[] {4.5, 4.5, 4.5}, stats.sampleVariance(1));
    }
  }

  @Test
  void badBatchesAreOneClearError() {
    try (UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend, "cpu", "blocks.2.mlp.hook_post", GROUPS, 3,
        StatsOptions.cheap()); NDManager caller = backend.newScope("cpu")) {
      NDArray rows = caller.ones(new Shape(2, 3));
      assertEquals("Rows for blocks.2.mlp.hook_post must have shape [n, 3]; got (2, 4). Flatten [batch, pos, units]"
          + " to [batch*pos, units] and drop padding rows first.",
          assertThrows(NeuriteException.class, () -> acc.add(caller.ones(new Shape(2, 4)), 0)).getMessage());
      assertEquals("The batch for blocks.2.mlp.hook_post has 2 rows but 3 group indices: give one group index per"
          + " row.", assertThrows(NeuriteException.class, () -> acc.add(rows, new int[] {0, 1, 2})).getMessage());
      assertEquals("Row 1 of the batch for blocks.2.mlp.hook_post names group 4, but there are 4 groups [en, zh, fr,"
          + " sw]: give indices 0 to 3.",
          assertThrows(NeuriteException.class, () -> acc.add(rows, new int[] {0, 4})).getMessage());
      assertEquals("Rows for blocks.2.mlp.hook_post must be floating point; got int32. Convert them with"
          + " toType(DataType.FLOAT32, false).", assertThrows(NeuriteException.class,
              () -> acc.add(rows.toType(DataType.INT32, false), 0)).getMessage());
      assertEquals(0, acc.rows(), "a refused batch adds nothing");
      acc.close();
      assertTrue(assertThrows(NeuriteException.class, () -> acc.add(rows, 0)).getMessage()
          .startsWith("The statistics accumulator for blocks.2.mlp.hook_post is closed"));
    }
    assertEquals("The groups [en, en] for s repeat a name: name each group once.", assertThrows(
        NeuriteException.class, () -> UnitStatsAccumulator.open(backend, "cpu", "s", List.of("en", "en"), 3,
            StatsOptions.cheap())).getMessage());
    assertEquals("topK 4 is wider than the 3 units of s: give at most 3.", assertThrows(NeuriteException.class,
        () -> UnitStatsAccumulator.open(backend, "cpu", "s", GROUPS, 3,
            StatsOptions.cheap().withTopK(4, TopKRanking.VALUE))).getMessage());
    assertEquals(0, backend.openScopes());
  }
}
