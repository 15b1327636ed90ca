package org.neurite.support.units;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

class UnitFilesTest {
  @TempDir Path dir;

  @Test
  void unitScoresRoundTripThroughSafetensorsNamedHookSlashGroup() throws Exception {
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    scores.put("blocks.0.mlp.hook_post", Map.of("en", new float[] {0.1f, 0.9f, 0f}));
    scores.put("blocks.1.mlp.hook_post", new LinkedHashMap<>(Map.of("en", new float[] {1, 2, 3}, "fr", new float[] {3, 2, 1})));
    UnitScores written = new UnitScores("p_active", scores);
    Path file = dir.resolve("scores.safetensors");
    UnitScoresFiles.write(written, file);
    UnitScores read = UnitScoresFiles.read(file);
    assertEquals(written, read);
    assertArrayEquals(new float[] {3, 2, 1}, read.of("blocks.1.mlp.hook_post", "fr").orElseThrow());
    assertEquals(2f, read.score(new Unit("blocks.1.mlp.hook_post", 1), "en"));
    assertEquals(List.of("en", "fr"), read.groups().stream().sorted().toList());

    Path trace = dir.resolve("trace.safetensors");
    new org.neurite.support.safetensors.SafetensorsWriter().add("logits", new long[] {2}, new float[] {1, 2}).write(trace);
    NeuriteException notScores = assertThrows(NeuriteException.class, () -> UnitScoresFiles.read(trace));
    assertTrue(notScores.getMessage().endsWith("trace.safetensors is not a unit-scores file (its neurite.kind is absent);"
        + " give a file that a scoring step wrote."), notScores.getMessage());
  }

  @Test
  void neuronSetsRoundTripThroughJsonAndDoSetAlgebraPerGroup() throws Exception {
    NeuronSet a = new NeuronSet("a", "p_active", List.of(
        new NeuronSet.Member(new Unit("blocks.1.mlp.hook_post", 7), 0.9, "fr"),
        new NeuronSet.Member(new Unit("blocks.0.mlp.hook_post", 3), 0.8, "fr"),
        new NeuronSet.Member(new Unit("blocks.0.mlp.hook_post", 3), 0.7, "en")));
    NeuronSet b = new NeuronSet("b", "p_active", List.of(
        new NeuronSet.Member(new Unit("blocks.0.mlp.hook_post", 3), 0.1, "fr"),
        new NeuronSet.Member(new Unit("blocks.10.mlp.hook_post", 1), 0.2, "fr")));
    Path file = dir.resolve("set.json");
    NeuronSetFiles.write(a, file);
    assertEquals(a, NeuronSetFiles.read(file));

    assertEquals(List.of(new Unit("blocks.0.mlp.hook_post", 3)), a.intersection(b).units());
    assertEquals(List.of(new Unit("blocks.0.mlp.hook_post", 3), new Unit("blocks.1.mlp.hook_post", 7)),
        a.difference(b).units(), "fr/0.3 is in both; en/0.3 is not in b");
    assertEquals(4, a.union(b).members().size());
    assertEquals(0.8, a.union(b).members().get(1).score(), "a pair in both keeps the first set's score");
    assertEquals(List.of(new Unit("blocks.1.mlp.hook_post", 7)), a.excludingUnits(b).units());
    assertEquals(List.of("blocks.0.mlp.hook_post", "blocks.1.mlp.hook_post"), List.copyOf(a.perHookCounts("fr").keySet()));
    assertEquals(Map.of("blocks.0.mlp.hook_post", 1, "blocks.1.mlp.hook_post", 1), a.perHookCounts("fr"));
    assertEquals(Map.of("blocks.0.mlp.hook_post", 1, "blocks.1.mlp.hook_post", 0), a.perHookCounts("en"));
    assertEquals(List.of(new Unit("blocks.0.mlp.hook_post", 3), new Unit("blocks.10.mlp.hook_post", 1)), b.units(),
        "model order: layer 0 before layer 10");

    Files.writeString(file, "{\"kind\": \"trace\"}");
    NeuriteException wrong = assertThrows(NeuriteException.class, () -> NeuronSetFiles.read(file));
    assertTrue(wrong.getMessage().endsWith("is not a neuron-set file (no \"kind\": \"neuron-set\"); give a file that a"
        + " selection step wrote."), wrong.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NeuronSet("dup", "s", List.of(a.members().get(0),
        a.members().get(0))));
  }

  @Test
  void malformedFilesGiveOneMessageNamingTheFile() throws Exception {
    Path set = dir.resolve("set.json");
    Files.writeString(set, "{\"kind\": \"neuron-set\", \"name\": \"x\", \"statistic\": \"s\", \"members\":"
        + " [{\"hook\": \"h\", \"index\": 1.5, \"score\": 1, \"group\": \"g\"}]}");
    NeuriteException fraction = assertThrows(NeuriteException.class, () -> NeuronSetFiles.read(set));
    assertTrue(fraction.getMessage().startsWith(set + " is not a well-formed neuron set (index 1.5 is not a whole number"
        + " from 0)"), fraction.getMessage());
    Files.writeString(set, "{\"kind\": null}");
    NeuriteException kind = assertThrows(NeuriteException.class, () -> NeuronSetFiles.read(set));
    assertTrue(kind.getMessage().startsWith(set + " is not a neuron-set file"), kind.getMessage());

    Path scores = dir.resolve("scores.safetensors");
    new org.neurite.support.safetensors.SafetensorsWriter().metadata(UnitScoresFiles.KIND_KEY, UnitScoresFiles.KIND)
        .add("h/a", new long[] {1}, new float[] {1}).add("h/b", new long[] {2}, new float[] {1, 2}).write(scores);
    NeuriteException unequal = assertThrows(NeuriteException.class, () -> UnitScoresFiles.read(scores));
    assertTrue(unequal.getMessage().startsWith(scores + " is not a well-formed unit-scores file: hook h has 1 scores"),
        unequal.getMessage());
  }
}
