package org.neurite.methods.language.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.testbed.PlantedModel;

/**
 * LAPE on the planted-unit testbed: units planted to fire on one language's tokens are the
 * lowest-entropy units, and each is assigned to its own language.
 */
class LapePlantedTest {
  @TempDir Path dir;

  @Test
  void lapeRecoversThePlantedLanguageUnitsAndTheirLanguages() throws Exception {
    PlantedModel planted = new PlantedModel().groups(4).plantedPerGroup(3).dMlp(64).exclusive(12).seed(7);
    try (PlantedTestbed testbed = new PlantedTestbed(dir, planted, "float32", 24)) {
      List<String> languages = planted.groupNames();
      Map<String, UnitStats> stats = TinyLanguageModel.stats(testbed.model, testbed.examples, languages, Positions.ALL,
          8);
      LanguageProbabilities p = LanguageProbabilities.of(stats, "test");
      int plantedCount = languages.size() * 3;
      double rate = (double) plantedCount / p.units().size();
      Lape.Result result = Lape.run(p, new Lape.Options(rate, 0.95, 0.95), "test");
      assertEquals(plantedCount, result.selected().size());
      String hook = planted.hook().replace("hook_post", "hook_pre");
      Set<String> truth = new HashSet<>();
      planted.planted().forEach((group, units) -> {
        for (int u : units) {
          truth.add(group + "/" + new Unit(hook, u));
        }
      });
      int hits = 0;
      for (NeuronSet.Member m : result.neurons().members()) {
        hits += truth.contains(m.group() + "/" + m.unit()) ? 1 : 0;
      }
      double precision = (double) hits / result.neurons().members().size();
      double recall = (double) hits / truth.size();
      System.out.printf("LAPE on the planted testbed: precision@%d %.3f, recall %.3f (%d memberships)%n", plantedCount,
          precision, recall, result.neurons().members().size());
      assertTrue(precision >= 0.95, "precision@k " + precision + ": " + result.neurons().members());
      assertTrue(recall >= 0.95, "recall " + recall);
    }
  }
}
