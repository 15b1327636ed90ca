package org.neurite.methods.safety.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.testbed.PlantedModel;

/**
 * NeuroStrike on the planted-unit testbed with two groups, g0 standing for harmful prompts: the
 * units planted to fire on g0's tokens (their gate_proj and up_proj rows read g0's dimension) get
 * the largest positive probe weights and are the safety neurons; g1's planted units get negative
 * weights and are left out by {@code w > 0}. Prefix sets hold only the layers of their prefix.
 */
class NeuroStrikePlantedTest {
  @TempDir Path dir;

  @Test
  void theSafetyNeuronsAreTheUnitsPlantedOnHarmfulPrompts() throws Exception {
    PlantedModel planted = new PlantedModel().groups(2).plantedPerGroup(2).dMlp(64).layers(2, 1).seed(3);
    try (PlantedTestbed testbed = new PlantedTestbed(dir, planted, "float32", 20)) {
      List<String> hooks = List.of("blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_pre_linear", "blocks.1.mlp.hook_pre",
          "blocks.1.mlp.hook_pre_linear");
      NeuroStrike.Features features = Probing.features(testbed.model, testbed.examples, hooks,
          Pooling.MAX_WITH_PADDING, "group", "g0", "g1", 32);
      NeuroStrike.Result result = Probing.run(features, ProbeOptions.neuroStrike(), 2, null);
      Set<Unit> truth = new HashSet<>();
      for (int u : planted.planted().get("g0")) {
        truth.add(new Unit("blocks.1.mlp.hook_pre", u));
        truth.add(new Unit("blocks.1.mlp.hook_pre_linear", u));
      }
      List<NeuronSet.Member> ranked = new ArrayList<>(result.neurons().members());
      ranked.sort(Comparator.comparingDouble(NeuronSet.Member::score).reversed());
      int k = truth.size();
      int hits = 0;
      for (NeuronSet.Member m : ranked.subList(0, Math.min(k, ranked.size()))) {
        hits += truth.contains(m.unit()) ? 1 : 0;
      }
      double precision = (double) hits / k;
      int inSet = 0;
      for (NeuronSet.Member m : ranked) {
        inSet += truth.contains(m.unit()) ? 1 : 0;
      }
      System.out.printf("NeuroStrike on the planted testbed: precision@%d %.3f; %d units selected, %d of %d planted"
          + " among them%n", k, precision, ranked.size(), inSet, k);
      assertTrue(precision >= 0.95, "precision@" + k + " " + precision + ": " + ranked);
      for (int u : planted.planted().get("g1")) {
        assertTrue(result.weights().score(new Unit("blocks.1.mlp.hook_pre", u), "safety") < 0,
            "the harmless group's planted unit " + u + " has a negative weight");
      }
      assertEquals(result.neurons().members().stream().filter(m -> m.unit().layer() == 0).count(),
          result.prefixes().units("layers_25").size(), "25% of 2 layers is layer 0");
      assertEquals(result.neurons().members().size(), result.prefixes().units("layers_50").size(),
          "50% of 2 layers: floor(1) = layer 1, so layers 0 and 1");
      assertEquals(result.neurons().members().size(), result.prefixes().units("layers_100").size());
    }
  }
}
