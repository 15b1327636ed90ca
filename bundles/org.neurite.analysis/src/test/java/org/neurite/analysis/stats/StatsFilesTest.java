package org.neurite.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.TestBackend;
import org.neurite.api.NeuriteException;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/** Snapshots survive a round trip through a file; a file that is not one is one clear error. */
class StatsFilesTest {
  private static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @Test
  void roundTripKeepsEverything(@TempDir Path dir) throws Exception {
    StatsOptions options = StatsOptions.cheap().withActiveAbove(Double.NEGATIVE_INFINITY).withRowMagnitudes()
        .withSketch(SketchLayout.standard()).withTopK(2, TopKRanking.VALUE);
    UnitStats stats;
    try (NDManager caller = backend.newScope("cpu"); UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend,
        "cpu", "blocks.0.attn.hook_q", List.of("p", "q", "unused"), 6, options)) {
      for (RandomRows.Batch b : RandomRows.batches(2, 6, 6, 2, 30)) {
        acc.add(RandomRows.array(caller, b, 6, DataType.FLOAT32), b.groups());
      }
      stats = acc.snapshot();
    }
    Path file = dir.resolve("stats.safetensors");
    StatsFiles.write(stats, file);
    UnitStats read = StatsFiles.read(file);
    assertEquals(stats.site(), read.site());
    assertEquals(stats.groups(), read.groups());
    assertEquals(stats.options(), read.options());
    MergeTest.assertSame(stats, read, "round trip");
    try (SafetensorsFile raw = SafetensorsFile.open(file)) {
      assertEquals("[3, 6]", java.util.Arrays.toString(raw.entry("mean").get().shape()));
      assertTrue(raw.metadata().get(StatsFiles.HEADER).contains("\"site\":\"blocks.0.attn.hook_q\""));
    }
  }

  @Test
  void aFileThatIsNotStatisticsIsOneClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("other.safetensors");
    new SafetensorsWriter().add("w", new long[] {1}, new float[] {1}).write(file);
    assertEquals("The file " + file + " is not a Neurite statistics file: its safetensors metadata has no"
        + " 'neurite.stats' entry. Write it with StatsFiles.write.",
        assertThrows(NeuriteException.class, () -> StatsFiles.read(file)).getMessage());
    Files.delete(file);
    assertEquals("The safetensors file " + file + " does not exist.",
        assertThrows(NeuriteException.class, () -> StatsFiles.read(file)).getMessage());
  }
}
