package org.neurite.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.TestBackend;
import org.neurite.api.NeuriteException;

/**
 * Shards accumulated apart and merged equal the single pass, for accumulator merges, snapshot
 * merges and snapshots that went through a file, with every optional statistic on.
 */
class MergeTest {
  private static final int UNITS = 29;
  private static final List<String> GROUPS = List.of("a", "b", "c");
  private static final StatsOptions ALL = StatsOptions.cheap().withRowMagnitudes()
      .withSketch(new SketchLayout(-10, 10, 3)).withTopK(4, TopKRanking.MAGNITUDE);
  private static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  private static UnitStatsAccumulator open() {
    return UnitStatsAccumulator.open(backend, "cpu", "blocks.1.hook_resid_post", GROUPS, UNITS, ALL);
  }

  private static void feed(UnitStatsAccumulator acc, List<RandomRows.Batch> batches, NDManager caller) {
    for (RandomRows.Batch b : batches) {
      acc.add(RandomRows.array(caller, b, UNITS, DataType.FLOAT32), b.groups());
    }
  }

  @Test
  void anySplitMergedEqualsTheSinglePass(@TempDir Path dir) throws Exception {
    List<RandomRows.Batch> batches = RandomRows.batches(5, 30, UNITS, GROUPS.size(), 120);
    int open = backend.openScopes();
    UnitStats single;
    try (NDManager caller = backend.newScope("cpu"); UnitStatsAccumulator acc = open()) {
      feed(acc, batches, caller);
      single = acc.snapshot();
    }
    Random random = new Random(3);
    for (int split = 0; split < 5; split++) {
      int shards = 2 + random.nextInt(4);
      int[] cuts = new int[shards + 1];
      cuts[shards] = batches.size();
      for (int s = 1; s < shards; s++) {
        cuts[s] = random.nextInt(batches.size() + 1);
      }
      cuts[1] = split == 0 ? 0 : cuts[1];   // the first split starts with an empty shard
      java.util.Arrays.sort(cuts);
      List<UnitStats> snapshots = new ArrayList<>();
      try (NDManager caller = backend.newScope("cpu"); UnitStatsAccumulator merged = open()) {
        for (int s = 0; s < shards; s++) {
          try (UnitStatsAccumulator shard = open()) {
            feed(shard, batches.subList(cuts[s], cuts[s + 1]), caller);
            snapshots.add(shard.snapshot());
            merged.merge(shard);
          }
        }
        assertSame(single, merged.snapshot(), "accumulator merge, cuts " + java.util.Arrays.toString(cuts));
      }
      UnitStats folded = snapshots.get(0);
      for (int s = 1; s < shards; s++) {
        Path file = dir.resolve("shard" + s + ".safetensors");
        StatsFiles.write(snapshots.get(s), file);
        folded = folded.merge(StatsFiles.read(file));
      }
      assertSame(single, folded, "snapshot merge through files, cuts " + java.util.Arrays.toString(cuts));
      // associativity: (a + b) + c against a + (b + c) on the last three shards
      if (shards >= 3) {
        UnitStats a = snapshots.get(0);
        UnitStats b = snapshots.get(1);
        UnitStats c = snapshots.get(2);
        assertSame(a.merge(b).merge(c), a.merge(b.merge(c)), "associativity");
      }
    }
    assertEquals(open, backend.openScopes());
  }

  static void assertSame(UnitStats expected, UnitStats actual, String where) {
    assertEquals(expected.rows(), actual.rows(), where);
    assertArrayEquals(expected.counts(), actual.counts(), where);
    for (int g = 0; g < expected.groups().size(); g++) {
      close(expected.mean(g), actual.mean(g), where + " mean");
      close(expected.m2(g), actual.m2(g), where + " M2");
      close(expected.sumAbs(g), actual.sumAbs(g), where + " sum |x|");
      assertArrayEquals(expected.activeCount(g), actual.activeCount(g), where);
      assertArrayEquals(expected.min(g), actual.min(g), where);
      assertArrayEquals(expected.max(g), actual.max(g), where);
      assertArrayEquals(expected.topKCounts(g), actual.topKCounts(g), where);
      for (int u = 0; u < expected.units(); u++) {
        assertArrayEquals(expected.sketchCounts(g, u), actual.sketchCounts(g, u), where);
      }
      RowMagnitudes e = expected.rowMagnitudes(g);
      RowMagnitudes a = actual.rowMagnitudes(g);
      assertEquals(e.rows(), a.rows(), where);
      assertEquals(e.ratioRows(), a.ratioRows(), where);
      assertEquals(e.maxRatio(), a.maxRatio(), where);
      assertEquals(e.maxRatioRow(), a.maxRatioRow(), where);
      assertEquals(e.maxRatioUnit(), a.maxRatioUnit(), where);
      assertEquals(e.maxAbs(), a.maxAbs(), where);
      assertEquals(e.maxAbsRow(), a.maxAbsRow(), where);
      assertEquals(e.maxAbsUnit(), a.maxAbsUnit(), where);
      assertEquals(e.sumRatio(), a.sumRatio(), 1e-10 * e.sumRatio(), where);
      assertEquals(e.sumMaxAbs(), a.sumMaxAbs(), 1e-10 * e.sumMaxAbs(), where);
    }
  }

  private static void close(double[] expected, double[] actual, String where) {
    for (int u = 0; u < expected.length; u++) {
      assertTrue(Math.abs(expected[u] - actual[u]) <= 1e-10 * Math.max(Math.abs(expected[u]), 1e-300),
          where + " unit " + u + ": " + expected[u] + " vs " + actual[u]);
    }
  }

  @Test
  void mismatchedShardsAreRefused() {
    try (UnitStatsAccumulator a = open(); UnitStatsAccumulator b = UnitStatsAccumulator.open(backend, "cpu",
        "blocks.1.hook_resid_post", List.of("a", "b"), UNITS, ALL)) {
      NeuriteException error = assertThrows(NeuriteException.class, () -> a.merge(b));
      assertTrue(error.getMessage().startsWith("Cannot merge the statistics of blocks.1.hook_resid_post (groups [a, b]"),
          error.getMessage());
      assertEquals("Cannot merge statistics that differ in groups [a, b, c] and [a, b]: merge only shards of one site"
          + " accumulated with the same groups, units and options.",
          assertThrows(NeuriteException.class, () -> a.snapshot().merge(b.snapshot())).getMessage());
      assertTrue(assertThrows(NeuriteException.class, () -> a.merge(a)).getMessage()
          .startsWith("An accumulator cannot be merged into itself"));
    }
  }
}
