package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.TestBackend;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
import org.neurite.api.NeuriteException;

/** Differences and ratios from a snapshot against means worked out from the rows directly. */
class MeanContrastTest {
  private static TestBackend backend;
  private static UnitStats stats;

  /** Group f: rows (1, -2), (3, 4); r: (2, 2); o: (6, 0), (0, 0), (0, 3). Group "none" has no rows. */
  @BeforeAll
  static void start() {
    backend = new TestBackend();
    try (NDManager scope = backend.newScope("cpu"); UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend,
        "cpu", "blocks.4.mlp.hook_pre", List.of("f", "r", "o", "none"), 2, StatsOptions.cheap())) {
      acc.add(scope.create(new float[] {1, -2, 2, 2, 6, 0, 3, 4, 0, 0, 0, 3}, new Shape(6, 2)),
          new int[] {0, 1, 2, 0, 2, 2});
      stats = acc.snapshot();
    }
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @Test
  void againstAControlGroup() {
    double[] d = MeanContrast.difference(stats, Statistic.MEAN, "f", "r");
    assertEquals(2 - 2, d[0], 1e-15);
    assertEquals(1 - 2, d[1], 1e-15);
    double[] ratio = MeanContrast.ratio(stats, Statistic.MEAN_ABS, "f", "r", 0);
    assertEquals(2.0 / 2, ratio[0], 1e-15);
    assertEquals(3.0 / 2, ratio[1], 1e-15);
    double[] p = MeanContrast.difference(stats, Statistic.ACTIVE_PROBABILITY, "o", "f");
    assertEquals(1.0 / 3 - 1, p[0], 1e-15);
    assertEquals(1.0 / 3 - 0.5, p[1], 1e-15);
    double[] square = MeanContrast.difference(stats, Statistic.MEAN_SQUARE, "f", "r");
    assertEquals((1 + 9) / 2.0 - 4, square[0], 1e-14);
    assertEquals((4 + 16) / 2.0 - 4, square[1], 1e-14);
  }

  @Test
  void againstTheOthersPooledByRows() {
    // others of f: r and o, 4 rows: (2, 2), (6, 0), (0, 0), (0, 3): means (2, 1.25)
    double[] d = MeanContrast.differenceVsOthers(stats, Statistic.MEAN, "f");
    assertEquals(2 - 2, d[0], 1e-15);
    assertEquals(1 - 1.25, d[1], 1e-15);
    double[] ratio = MeanContrast.ratioVsOthers(stats, Statistic.MEAN_ABS, "f", 1e-6);
    assertEquals(2 / (2 + 1e-6), ratio[0], 1e-15);
    assertEquals(3 / (1.25 + 1e-6), ratio[1], 1e-15);
  }

  @Test
  void badGroupsAreOneClearError() {
    assertEquals("Group 'none' has no rows in the statistics of blocks.4.mlp.hook_pre: feed it examples, or leave it"
        + " out of the contrast.", assertThrows(NeuriteException.class,
            () -> MeanContrast.difference(stats, Statistic.MEAN, "f", "none")).getMessage());
    assertEquals("No group 'de' in the statistics of blocks.4.mlp.hook_pre; its groups are [f, r, o, none]. Name one"
        + " of these.", assertThrows(NeuriteException.class,
            () -> MeanContrast.difference(stats, Statistic.MEAN, "de", "f")).getMessage());
    assertEquals("The target and control groups are both 'f': name two different groups of [f, r, o, none].",
        assertThrows(NeuriteException.class, () -> MeanContrast.ratio(stats, Statistic.MEAN, "f", "f", 0))
            .getMessage());
    assertEquals("Group 'none' has no rows in the statistics of blocks.4.mlp.hook_pre: feed it examples, or leave it"
        + " out of the contrast.", assertThrows(NeuriteException.class, () -> GroupEntropy.lape(stats))
            .getMessage());
  }
}
