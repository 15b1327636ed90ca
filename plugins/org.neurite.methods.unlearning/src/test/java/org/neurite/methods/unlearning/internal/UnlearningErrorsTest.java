package org.neurite.methods.unlearning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.RemapTable;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
import org.neurite.api.NeuriteException;

/** One test per kind of bad input to the skill-unlearning methods, each checking the exact message. */
class UnlearningErrorsTest {
  @TempDir Path dir;

  private static Map<String, UnitStats> stats(List<String> groups) {
    try (UnitStatsAccumulator a = UnitStatsAccumulator.open(PlantedTestbed.BACKEND, "cpu", "blocks.0.mlp.hook_pre",
        groups, 2, StatsOptions.cheap()); NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      int[] rows = new int[groups.size() * 2];
      float[] values = new float[rows.length * 2];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = r / 2;
        values[2 * r] = r;
        values[2 * r + 1] = -r;
      }
      a.add(scope.create(values, new ai.djl.ndarray.types.Shape(rows.length, 2)), rows);
      return Map.of("blocks.0.mlp.hook_pre", a.snapshot());
    }
  }

  private static String message(Runnable r) {
    return assertThrows(NeuriteException.class, r::run).getMessage();
  }

  @Test
  void aTopRateOutsideZeroToOneIsRefused() {
    assertEquals("test: top_rate is 0.0; give a fraction in (0, 1], e.g. 0.03 for the paper's 3% (0.005 for"
        + " languages).", message(() -> NeuronAdjust.run(stats(List.of("a", "b")), "a", List.of(), 0, "test")));
  }

  @Test
  void anUnknownForgetSkillIsRefusedWithTheSkillsThereAre() {
    assertEquals("test: forget group 'math' is not among the statistics' groups [a, b] at blocks.0.mlp.hook_pre;"
        + " give forget one of them (the dataset's skill field).",
        message(() -> NeuronAdjust.run(stats(List.of("a", "b")), "math", List.of(), 0.03, "test")));
  }

  @Test
  void retainingTheForgetSkillIsRefused() {
    assertEquals("test: retain names the forget group 'a'; retain the other skills.",
        message(() -> NeuronAdjust.run(stats(List.of("a", "b")), "a", List.of("a"), 0.03, "test")));
  }

  @Test
  void aDatasetWithOnlyTheForgetSkillIsRefused() {
    assertEquals("test: there is no retain group: the statistics have only 'a'. Give the dataset examples of the"
        + " skills to keep.", message(() -> NeuronAdjust.run(stats(List.of("a")), "a", List.of(), 0.03, "test")));
  }

  @Test
  void keySpaceDetectionNeedsTwoProbes() {
    assertEquals("test: Key Space Detection needs at least two probe queries of the forget skill for a sample"
        + " standard deviation; it has 1. Give the forget skill more examples.",
        message(() -> KeySpace.of(List.of(new double[] {1, 2}), "test")));
  }

  @Test
  void identicalProbesInADimensionWithoutSpreadStillFormABox() {
    KeySpace box = KeySpace.of(List.of(new double[] {1, 2}, new double[] {1, 3}), "test");
    assertEquals(0, box.sigma()[0]);
    assertEquals(true, box.flags(new double[] {1, 2.5}, 1));
    assertEquals(false, box.flags(new double[] {1.001, 2.5}, 1));
  }

  @Test
  void aMissingRemapTableIsNamed() {
    Path missing = dir.resolve("remap.json");
    assertEquals("test: the remap table " + missing + " does not exist; give the table output of a"
        + " neurons.neuron_adjust step.", message(() -> RemapTable.read(missing, "test")));
  }

  @Test
  void aFileThatIsNotARemapTableIsRefused() throws Exception {
    Path other = Files.writeString(dir.resolve("other.json"), "{\"kind\":\"unit-stats\"}");
    assertEquals("test: " + other + " is not a remap table (no \"kind\": \"remap-table\"); give the table output of a"
        + " neurons.neuron_adjust step.", message(() -> RemapTable.read(other, "test")));
  }

  @Test
  void aRemapTableRoundTrips() throws Exception {
    RemapTable table = NeuronAdjust.run(stats(List.of("a", "b")), "b", List.of(), 0.5, "test").table();
    Path file = dir.resolve("remap.json");
    table.write(file);
    RemapTable back = RemapTable.read(file, "test");
    RemapTable.Site s = back.site("blocks.0.mlp.hook_pre", "test");
    assertEquals(java.util.Arrays.toString(table.site("blocks.0.mlp.hook_pre", "test").muForget()),
        java.util.Arrays.toString(s.muForget()));
    assertEquals("test: the remap table has no statistics for blocks.1.mlp.hook_pre (it has [blocks.0.mlp.hook_pre]);"
        + " remap the units of the neuron set the table came with.", message(() -> back.site("blocks.1.mlp.hook_pre",
        "test")));
  }
}
