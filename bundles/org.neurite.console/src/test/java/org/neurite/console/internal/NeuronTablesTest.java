package org.neurite.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
import org.neurite.support.units.NeuronSetFiles;
import org.neurite.support.units.UnitScoresFiles;

/** What {@code neurons} shows and exports, from files as the steps write them. */
class NeuronTablesTest {
  @TempDir Path dir;

  private static final String L0 = "blocks.0.mlp.hook_post";
  private static final String L1 = "blocks.1.mlp.hook_post";
  private static final String L10 = "blocks.10.mlp.hook_post";

  @Test
  void aNeuronSetShowsItsTopUnitsAndItsCountsPerLayerForEachGroup() throws Exception {
    NeuronSet set = new NeuronSet("lape", "entropy", List.of(
        new NeuronSet.Member(new Unit(L10, 4), 0.2, "fr"),
        new NeuronSet.Member(new Unit(L1, 9), 0.9, "fr"),
        new NeuronSet.Member(new Unit(L1, 2), 0.5, "fr"),
        new NeuronSet.Member(new Unit(L0, 3), 0.7, "de")));
    Path file = dir.resolve("neurons.json");
    NeuronSetFiles.write(set, file);

    NeuronTables.Summary summary = NeuronTables.of("select.neurons", NeuronSetFiles.read(file), 2);
    NeuronTables.Group fr = summary.groups().get(0);
    assertEquals("fr", fr.group());
    assertEquals(3, fr.units());
    assertEquals(Map.of(L1, 2, L10, 1), fr.perHook(), "layer 0 holds none of fr's units and is left out");
    assertEquals(List.of(new NeuronTables.Row(new Unit(L1, 9), 0.9), new NeuronTables.Row(new Unit(L1, 2), 0.5)), fr.top());
    String text = NeuronTables.text(List.of(summary), 2);
    assertTrue(text.startsWith("neuron set lape (entropy)  select.neurons\n  group fr: 3 units\n"
        + "    per hook point: blocks.1.mlp.hook_post=2 blocks.10.mlp.hook_post=1\n"), text);
    assertTrue(text.contains("       1  blocks.1.mlp.hook_post                   9  0.900000\n"), text);
    assertTrue(text.contains("    ... 1 more (--top N shows more, --csv FILE writes all)\n"), text);
    assertTrue(text.contains("  group de: 1 units\n    per hook point: blocks.0.mlp.hook_post=1\n"), text);
  }

  @Test
  void unitScoresShowWhereTheTopUnitsLieAndTheCsvHoldsEveryUnitOfEveryGroup() throws Exception {
    Path file = dir.resolve("scores.safetensors");
    UnitScoresFiles.write(new UnitScores("p_active", Map.of(
        L0, Map.of("en", new float[] {0.1f, 0.8f, Float.NaN}),
        L1, Map.of("en", new float[] {0.9f, 0.05f, 0.8f}))), file);
    NeuronTables.Summary summary = NeuronTables.of("stats.scores", UnitScoresFiles.read(file), 3);
    NeuronTables.Group en = summary.groups().get(0);
    assertEquals(6, en.units());
    assertEquals(List.of(new Unit(L1, 0), new Unit(L0, 1), new Unit(L1, 2)),
        en.top().stream().map(NeuronTables.Row::unit).toList(), "highest first; equal scores in model order");
    assertEquals(Map.of(L0, 1, L1, 2), en.perHook());

    Path csv = dir.resolve("out/units.csv");
    assertEquals(6, NeuronTables.writeCsv(List.of(summary), csv));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(NeuronTables.CSV_HEADER, lines.get(0));
    assertEquals(7, lines.size());
    assertTrue(lines.contains("stats.scores,p_active,en,blocks.0.mlp.hook_post,2,NaN"), lines.toString());
    assertTrue(lines.contains("stats.scores,p_active,en,blocks.1.mlp.hook_post,0,0.8999999761581421"), lines.toString());
  }

  @Test
  void aFieldWithACommaIsQuoted() throws Exception {
    NeuronSet set = new NeuronSet("a,b", "s", List.of(new NeuronSet.Member(new Unit(L0, 1), 1, "x\"y")));
    Path csv = dir.resolve("q.csv");
    NeuronTables.writeCsv(List.of(NeuronTables.of("src", set, 5)), csv);
    assertEquals("src,s,\"x\"\"y\",blocks.0.mlp.hook_post,1,1.0", Files.readAllLines(csv).get(1));
  }
}
