package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.GroupMeans;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.contrast.MeanContrast;
import org.neurite.analysis.contrast.Statistic;
import org.neurite.analysis.select.Selection;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * Statistic-, contrast- and gradient-based selections each recover the planted units of the
 * testbed: precision at k (k = the planted count per group) of at least 0.95.
 */
class PlantedRecoveryTest {
  @TempDir static Path dir;
  static Planted planted;
  static final List<String> GROUPS = List.of("g0", "g1", "g2");

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(41), "float32", 24);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  private static UnitStats statistics() {
    String hook = planted.planted.hook();
    try (UnitStatsAccumulator acc = UnitStatsAccumulator.open(Planted.BACKEND, "cpu", hook, GROUPS,
        planted.model.spec().dMlp(), StatsOptions.cheap())) {
      for (Batches.Batch batch : planted.batches(8, TokenBatch.Padding.RIGHT)) {
        float[] mask = Positions.ALL.mask(batch);
        int[] groups = new int[(int) Arrays.stream(toInts(mask)).filter(v -> v != 0).count()];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
          if (mask[i] != 0) {
            groups[k++] = GROUPS.indexOf(batch.examples().get(i / batch.tokens().length()).group());
          }
        }
        try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
          var values = planted.model.forward(batch.tokens(), Hooks.none().record(hook), scope).recorded(hook);
          acc.add(Pooling.TOKENS.pool(values, mask, scope), groups);
        }
      }
      return acc.snapshot();
    }
  }

  private static int[] toInts(float[] mask) {
    int[] out = new int[mask.length];
    for (int i = 0; i < mask.length; i++) {
      out[i] = (int) mask[i];
    }
    return out;
  }

  /** The fraction of the top-k selection per group that is that group's planted units. */
  private static double precision(UnitScores scores) {
    Selection selection = new Selection(scores, "test");
    int hits = 0;
    int total = 0;
    for (String g : GROUPS) {
      int[] truth = planted.planted.planted().get(g);
      NeuronSet chosen = selection.topK(g, truth.length);
      Set<Integer> expected = new HashSet<>();
      for (int u : truth) {
        expected.add(u);
      }
      for (var unit : chosen.units(g)) {
        total++;
        hits += expected.contains(unit.index()) ? 1 : 0;
      }
    }
    return (double) hits / total;
  }

  private static UnitScores scores(String name, Map<String, double[]> byGroup) {
    Map<String, float[]> floats = new LinkedHashMap<>();
    byGroup.forEach((g, v) -> {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      floats.put(g, f);
    });
    return new UnitScores(name, Map.of(planted.planted.hook(), floats));
  }

  @Test
  void statisticAndContrastSelectionsFindThePlantedUnits() {
    UnitStats stats = statistics();
    Map<String, double[]> means = new LinkedHashMap<>();
    Map<String, double[]> contrast = new LinkedHashMap<>();
    for (String g : GROUPS) {
      means.put(g, stats.mean(stats.group(g)));
      contrast.put(g, MeanContrast.differenceVsOthers(stats, Statistic.MEAN, g));
    }
    double byMean = precision(scores("mean", means));
    double byContrast = precision(scores("mean_vs_others", contrast));
    System.out.printf("precision@k: mean %.3f, mean vs others %.3f%n", byMean, byContrast);
    assertTrue(byMean >= 0.95, "statistic-based: " + byMean);
    assertTrue(byContrast >= 0.95, "contrast-based: " + byContrast);
  }

  @Test
  void gradientTimesActivationSelectionFindsThePlantedUnits() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    GroupMeans means = new GroupMeans(GROUPS);
    for (Batches.Batch batch : planted.batches(8, TokenBatch.Padding.LEFT)) {
      means.add(planted.planted.hook(), batch, attributions.gradientTimesActivation(planted.model, batch,
          planted.planted.hook(), Target.responseLogLikelihood(), Positions.ALL, Pooling.MEAN, false).scores());
    }
    double byGradient = precision(means.scores("grad_x_act"));
    System.out.printf("precision@k: gradient x activation %.3f%n", byGradient);
    assertTrue(byGradient >= 0.95, "gradient-based: " + byGradient);
  }
}
