package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.testbed.PlantedModel;

/**
 * Generation on the planted testbed: a prompt in one group's words continues in that group's words;
 * zeroing the group's planted units (an intervened model) changes what it generates, exactly as the
 * same replace hooks at every decoding step do.
 */
class PlantedGenerationTest {
  @TempDir static Path dir;
  static Planted planted;

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(41), "float32", 1);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  private static List<Generated> generate(LanguageModel model, List<long[]> prompts, GenerationHooks hooks) {
    try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
      return model.generate(prompts, GenerationOptions.greedy(6).withIgnoreEos(true), hooks, scope).sequences();
    }
  }

  @Test
  void zeroingAGroupsPlantedUnitsChangesItsGenerationAsTheHooksAtEveryStepDo() {
    var tokenizer = planted.model.tokenizer().orElseThrow();
    List<long[]> prompts = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 5; w++) {
        text.append(w == 0 ? "" : " ").append(PlantedModel.word(g, w));
      }
      prompts.add(tokenizer.encode(text.toString()));
    }
    List<Generated> base = generate(planted.model, prompts, GenerationHooks.none());
    String hook = planted.planted.hook();
    for (int g = 0; g < 3; g++) {
      String own = PlantedModel.word(g, 0).substring(0, PlantedModel.word(g, 0).indexOf('_') + 1);
      assertTrue(base.get(g).text().startsWith(own), "group " + g + " continues in its words: " + base.get(g).text());
      int[] units = planted.planted.planted().get(planted.planted.groupNames().get(g));
      List<Intervention> zero = Intervention.of(Map.of(hook, units), new Operation.Zero(), Positions.ALL);
      List<Generated> ablated = generate(new IntervenedModel(planted.model, zero, "zero g" + g), prompts,
          GenerationHooks.none());
      Hooks hooks = Hooks.none();
      for (Intervention i : zero) {
        hooks = i.addTo(hooks);
      }
      List<Generated> byHooks = generate(planted.model, prompts, GenerationHooks.of(hooks));
      for (int p = 0; p < 3; p++) {
        assertArrayEquals(byHooks.get(p).outputIds(), ablated.get(p).outputIds(), "group " + g + ", prompt " + p);
      }
      assertFalse(Arrays.equals(base.get(g).outputIds(), ablated.get(g).outputIds()), "group " + g + ": "
          + base.get(g).text() + " / " + ablated.get(g).text());
    }
  }
}
