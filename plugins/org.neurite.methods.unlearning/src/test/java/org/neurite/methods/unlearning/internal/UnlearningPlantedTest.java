package org.neurite.methods.unlearning.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.select.Selection;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.analysis.Unit;
import org.neurite.api.data.Example;
import org.neurite.api.generate.FinishReason;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * Neuron Adjust and Key Space Detection on the planted-unit testbed: the units planted to fire on
 * the forget group's tokens are the ones Neuron Adjust selects, the remap changes them alone and
 * gives in a batch what it gives one sequence at a time, and the hypercube of the forget group's
 * last-token keys makes generation abstain on the forget group's prompts and not on the others'.
 */
class UnlearningPlantedTest {
  @TempDir Path dir;

  private static final PlantedModel PLANTED = new PlantedModel().groups(3).plantedPerGroup(3).dMlp(48).seed(7);

  @Test
  void neuronAdjustRecoversThePlantedUnitsOfTheForgetGroup() throws Exception {
    try (PlantedTestbed testbed = new PlantedTestbed(dir, PLANTED, "float32", 16)) {
      Map<String, UnitStats> stats = TinySkillModel.stats(testbed.model, testbed.examples, PLANTED.groupNames(), 8);
      int total = stats.values().stream().mapToInt(UnitStats::units).sum();
      int k = PLANTED.planted().get("g0").length;
      // int(N (1 - rate)) = N - k: exactly k units above the threshold without ties
      NeuronAdjust.Result result = NeuronAdjust.run(stats, "g0", List.of(), (k - 0.5) / total, "test");
      String hook = PLANTED.hook().replace("hook_post", "hook_pre");
      Set<Unit> truth = new HashSet<>();
      for (int u : PLANTED.planted().get("g0")) {
        truth.add(new Unit(hook, u));
      }
      List<Unit> chosen = result.neurons().units("g0");
      long hits = chosen.stream().filter(truth::contains).count();
      double precision = (double) hits / chosen.size();
      System.out.printf("Neuron Adjust on the planted testbed: precision@%d %.3f (%d selected)%n", k, precision,
          chosen.size());
      assertEquals(k, chosen.size(), "selected " + chosen);
      assertTrue(precision >= 0.95, "precision@k " + precision + ": " + chosen + " vs " + truth);

      // the remap acts on the selected units only, and a batch gives what single sequences give
      Map<String, int[]> units = Selection.byHook(result.neurons(), "g0");
      List<Intervention> remaps = NeuronAdjustStep.remaps(units, result.table(), false, 3, Positions.ALL, "test");
      IntervenedModel remapped = new IntervenedModel(testbed.model, remaps, "remap");
      List<long[]> prompts = new ArrayList<>();
      for (Example x : testbed.examples.subList(0, 4)) {
        prompts.add(testbed.model.tokenizer().orElseThrow().encode(x.text()));
      }
      try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
        float[] base = gate(testbed.model.forward(TokenBatch.of(prompts, TokenBatch.Padding.LEFT),
            Hooks.none().record(hook), scope).recorded(hook));
        float[] batch = gate(remapped.forward(TokenBatch.of(prompts, TokenBatch.Padding.LEFT),
            Hooks.none().record(hook), scope).recorded(hook));
        int width = 48;
        int changed = 0;
        for (int i = 0; i < base.length; i++) {
          if (base[i] != batch[i]) {
            changed++;
            assertTrue(units.get(hook) != null && java.util.Arrays.binarySearch(units.get(hook), i % width) >= 0,
                "unit " + (i % width) + " changed but was not selected");
          }
        }
        assertTrue(changed > 0, "the remap changed nothing on group g0's tokens");
        TokenBatch padded = TokenBatch.of(prompts, TokenBatch.Padding.LEFT);
        int length = padded.length();
        for (int s = 0; s < prompts.size(); s++) {
          float[] alone = gate(remapped.forward(TokenBatch.single(prompts.get(s)), Hooks.none().record(hook), scope)
              .recorded(hook));
          int first = padded.firstReal(s);
          float[] inBatch = java.util.Arrays.copyOfRange(batch, (s * length + first) * width, (s + 1) * length * width);
          assertArrayEquals(alone, inBatch, 1e-5f, "sequence " + s + ": batch vs alone");
        }
      }
    }
  }

  @Test
  void keySpaceDetectionAbstainsOnTheForgetGroupsPromptsOnly() throws Exception {
    try (PlantedTestbed testbed = new PlantedTestbed(dir, PLANTED, "float32", 12)) {
      String hook = "blocks." + (testbed.model.spec().layers() - 1) + ".mlp.hook_post";
      Map<String, List<long[]>> prompts = new java.util.TreeMap<>();
      for (Example x : testbed.examples) {
        long[] ids = testbed.model.tokenizer().orElseThrow().encode(x.text());
        prompts.computeIfAbsent(x.group(), g -> new ArrayList<>()).add(java.util.Arrays.copyOf(ids, ids.length - 4));
      }
      List<double[]> forget = new ArrayList<>();
      try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
        for (long[] p : prompts.get("g0")) {
          NDArray v = testbed.model.forward(TokenBatch.single(p), Hooks.none().record(hook), scope).recorded(hook);
          long t = v.getShape().get(1);
          forget.add(v.get(":, " + (t - 1) + ", :").toType(DataType.FLOAT64, false).toDoubleArray());
        }
      }
      KeySpace box = KeySpace.of(forget, "test");
      assertTrue(box.k() > 0 && box.k() < KeySpace.HIGH, "k* " + box.k());
      IntervenedModel abstaining = new IntervenedModel(testbed.model, List.of(),
          List.of(box.abstention(hook, 1.0, KsdStep.TEXT)), "ksd");
      try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
        List<long[]> mixed = new ArrayList<>(prompts.get("g0").subList(0, 3));
        mixed.addAll(prompts.get("g1").subList(0, 3));
        List<Generated> out = abstaining.generate(mixed, GenerationOptions.greedy(4).withIgnoreEos(true),
            GenerationHooks.none(), scope).sequences();
        for (int i = 0; i < 3; i++) {
          assertEquals(FinishReason.abstained("ksd"), out.get(i).finishReason(), "forget prompt " + i);
          assertEquals(KsdStep.TEXT, out.get(i).text());
          assertEquals(0, out.get(i).outputIds().length);
        }
        for (int i = 3; i < 6; i++) {
          assertNotEquals(FinishReason.Kind.ABSTAINED, out.get(i).finishReason().kind(), "retain prompt " + i);
          assertEquals(4, out.get(i).outputIds().length);
        }
        // the same prompts alone abstain alike
        List<Generated> alone = abstaining.generate(List.of(mixed.get(0)), GenerationOptions.greedy(4)
            .withIgnoreEos(true), GenerationHooks.none(), scope).sequences();
        assertEquals(FinishReason.abstained("ksd"), alone.get(0).finishReason());
      }
    }
  }

  private static float[] gate(NDArray value) {
    return value.toType(DataType.FLOAT32, false).toFloatArray();
  }
}
