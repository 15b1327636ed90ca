package org.neurite.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.TestBackend;
import org.neurite.api.NeuriteException;

/** The optional statistics against brute force: sketch quantiles, top-k frequency, row magnitudes. */
class SketchTopKRowsTest {
  private static final int UNITS = 23;
  private static final List<String> GROUPS = List.of("x", "y");
  private static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  private static UnitStats run(List<RandomRows.Batch> batches, StatsOptions options) {
    try (NDManager caller = backend.newScope("cpu"); UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend,
        "cpu", "blocks.0.mlp.hook_pre", GROUPS, UNITS, options)) {
      for (RandomRows.Batch b : batches) {
        acc.add(RandomRows.array(caller, b, UNITS, DataType.FLOAT32), b.groups());
      }
      return acc.snapshot();
    }
  }

  @Test
  void sketchQuantilesAreWithinTheStatedBound() {
    List<RandomRows.Batch> batches = RandomRows.batches(21, 25, UNITS, GROUPS.size(), 200);
    for (SketchLayout layout : List.of(SketchLayout.standard(), new SketchLayout(-8, 8, 2))) {
      UnitStats stats = run(batches, StatsOptions.cheap().withSketch(layout));
      TwoPass ref = new TwoPass(batches, UNITS, GROUPS.size(), 0);
      double bound = layout.relativeError() + 1e-7;
      double worst = 0;
      for (int g = 0; g < GROUPS.size(); g++) {
        for (double q : new double[] {0, 0.01, 0.05, 0.25, 0.5, 0.9, 0.95, 0.99, 1}) {
          double[] estimate = stats.quantiles(g, q);
          for (int u = 0; u < UNITS; u++) {
            double exact = ref.quantile(g, u, q);
            double error = Math.abs(estimate[u] - exact);
            double allowed = Math.abs(exact) < layout.smallestMagnitude() ? layout.smallestMagnitude()
                : bound * Math.abs(exact);
            assertTrue(error <= allowed, layout + " q=" + q + " unit " + u + ": exact " + exact + ", estimate "
                + estimate[u]);
            if (exact != 0) {
              worst = Math.max(worst, error / Math.abs(exact));
            }
          }
        }
        double[] pooled = ref.rowsByGroup.get(g).stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        double exact = pooled[(int) Math.ceil(0.9 * pooled.length) - 1];
        assertEquals(exact, stats.pooledQuantile(g, 0.9), bound * Math.abs(exact));
      }
      assertEquals(0, stats.quantiles(0, 0)[0] - ref.min[0][0], 0, "q=0 is the exact minimum");
      System.out.printf("%s: bound %.4f, largest relative error seen %.4f%n", layout, layout.relativeError(), worst);
    }
  }

  @Test
  void layoutBinsAreOrderedAndCoverTheLine() {
    SketchLayout layout = new SketchLayout(-3, 3, 2);
    float[] values = {Float.NEGATIVE_INFINITY, -100f, -8f, -7.9f, -1f, -0.126f, -0.124f, -0f, 0f, 1e-30f, 0.124f,
        0.125f, 1f, 1.2f, 7.99f, 8f, 1e9f, Float.POSITIVE_INFINITY};
    int previous = -1;
    for (float v : values) {
      int bin = layout.binOf(v);
      assertTrue(bin >= previous, "bins must follow value order at " + v);
      previous = bin;
      double rep = layout.representative(bin);
      if (Math.abs(v) >= 0.125 && Math.abs(v) < 8) {
        // the bound is attained at a bin's edges: allow rounding only
        assertTrue(Math.abs(rep - v) <= layout.relativeError() * Math.abs(v) * (1 + 1e-12), v + " -> " + rep);
      }
    }
    assertEquals(0, layout.binOf(-8f));
    assertEquals(layout.bins() - 1, layout.binOf(8f));
    assertEquals(layout.zeroBin(), layout.binOf(0.124f));
    assertEquals(1.0 / 9, layout.relativeError());
    assertEquals("Sketch subBinBits 11 is out of range: give 0 to 10 (bins per octave = 2^subBinBits; 4 gives a"
        + " relative error of 1/33).", assertThrows(NeuriteException.class, () -> new SketchLayout(-3, 3, 11))
            .getMessage());
  }

  @Test
  void topKFrequencyEqualsABruteForceCount() {
    List<RandomRows.Batch> batches = RandomRows.batches(8, 20, UNITS, GROUPS.size(), 150);
    TwoPass ref = new TwoPass(batches, UNITS, GROUPS.size(), 0);
    for (TopKRanking ranking : TopKRanking.values()) {
      boolean magnitude = ranking == TopKRanking.MAGNITUDE;
      UnitStats stats = run(batches, StatsOptions.cheap().withTopK(3, ranking));
      long[][] expected = ref.topK(3, magnitude, UNITS);
      for (int g = 0; g < GROUPS.size(); g++) {
        assertArrayEquals(expected[g], stats.topKCounts(g), ranking + " group " + g);
        assertEquals(3 * stats.count(g), Arrays.stream(stats.topKCounts(g)).sum());
      }
    }
  }

  @Test
  void rowMagnitudesEqualBruteForce() {
    List<RandomRows.Batch> batches = RandomRows.batches(9, 15, UNITS, GROUPS.size(), 100);
    UnitStats stats = run(batches, StatsOptions.cheap().withRowMagnitudes());
    long row = 0;
    double[] sumRatio = new double[2];
    double[] maxRatio = {-1, -1};
    long[] maxRow = {-1, -1};
    int[] maxUnit = {-1, -1};
    double[] sumMax = new double[2];
    long[] ratioRows = new long[2];
    for (RandomRows.Batch b : batches) {
      for (int r = 0; r < b.rows().length; r++, row++) {
        int g = b.groups()[r];
        double[] magnitudes = Arrays.stream(b.rows()[r]).map(Math::abs).toArray();
        double[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        double median = sorted[(UNITS - 1) / 2];
        int argMax = 0;
        for (int u = 1; u < UNITS; u++) {
          argMax = magnitudes[u] > magnitudes[argMax] ? u : argMax;
        }
        sumMax[g] += magnitudes[argMax];
        if (median == 0) {
          continue;
        }
        double ratio = magnitudes[argMax] / median;
        sumRatio[g] += ratio;
        ratioRows[g]++;
        if (ratio > maxRatio[g]) {
          maxRatio[g] = ratio;
          maxRow[g] = row;
          maxUnit[g] = argMax;
        }
      }
    }
    for (int g = 0; g < 2; g++) {
      RowMagnitudes m = stats.rowMagnitudes(g);
      assertEquals(stats.count(g), m.rows());
      assertEquals(ratioRows[g], m.ratioRows());
      assertTrue(ratioRows[g] < m.rows(), "the data has rows whose median is 0");
      assertEquals(maxRatio[g], m.maxRatio(), 1e-12 * maxRatio[g]);
      assertEquals(maxRow[g], m.maxRatioRow());
      assertEquals(maxUnit[g], m.maxRatioUnit());
      assertEquals(sumRatio[g] / m.ratioRows(), m.meanRatio(), 1e-9 * m.meanRatio());
      assertEquals(sumMax[g] / m.rows(), m.meanMaxAbs(), 1e-9 * m.meanMaxAbs());
    }
  }

  @Test
  void missingOptionalStatisticsSayHowToAskForThem() {
    UnitStats stats = run(RandomRows.batches(1, 2, UNITS, 2, 10), StatsOptions.cheap());
    assertEquals("The statistics of blocks.0.mlp.hook_pre have no quantile sketch: accumulate with"
        + " StatsOptions.withSketch(SketchLayout.standard()).",
        assertThrows(NeuriteException.class, () -> stats.quantiles(0, 0.5)).getMessage());
    assertEquals("The statistics of blocks.0.mlp.hook_pre have no top-k frequency: accumulate with"
        + " StatsOptions.withTopK(k, ranking).", assertThrows(NeuriteException.class, () -> stats.topKCounts(0))
            .getMessage());
    assertEquals("No group 'z' in the statistics of blocks.0.mlp.hook_pre; its groups are [x, y]. Name one of these.",
        assertThrows(NeuriteException.class, () -> stats.group("z")).getMessage());
  }
}
