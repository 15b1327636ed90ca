package org.neurite.methods.culture.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.data.Example;
import org.neurite.testbed.PlantedModel;

/**
 * CULNIG on the planted-unit testbed, each group a "country": its planted MLP units fire on the
 * country's words and raise the logits of the country's words, so they carry the answer of a
 * question made of the country's words whose answer is one of them. The control question is the
 * same with the words of the next country (the planted units of the asked country are silent), and
 * a country's CountryRC passage is that question answered by the next country's word (its top units
 * are the next country's, which the exclusion must not take from the asked country). The
 * culture-specific sets must be the planted units of each country, the culture-general set the
 * planted units of all.
 */
class CulnigPlantedTest {
  @TempDir Path dir;

  @Test
  void culnigRecoversEachCountrysPlantedUnits() throws Exception {
    PlantedModel planted = new PlantedModel().groups(4).plantedPerGroup(2).dMlp(48).scales(2, 1, 1).seed(11);
    try (PlantedTestbed testbed = new PlantedTestbed(dir, planted, "float32", 12)) {
      List<Example> blend = new ArrayList<>();
      List<Example> control = new ArrayList<>();
      List<Example> countryRc = new ArrayList<>();
      for (Example x : testbed.examples) {
        String[] words = x.text().split(" ");
        String[] corrupted = x.contrast().corrupted().split(" ");
        String answer = words[7];
        blend.add(question(x, String.join(" ", List.of(words).subList(0, 7)), answer));
        control.add(question(x, String.join(" ", List.of(corrupted).subList(0, 7)), answer));
        countryRc.add(question(x, String.join(" ", List.of(corrupted).subList(0, 7)), corrupted[7]));
      }
      List<String> hooks = CulnigScoring.hooks(testbed.model);
      UnitScores b = CulnigScoring.score(testbed.model, blend, hooks, false, 8);
      UnitScores c = CulnigScoring.score(testbed.model, control, hooks, true, 8);
      UnitScores rc = CulnigScoring.score(testbed.model, countryRc, hooks, false, 8);
      CulnigScores scores = CulnigScores.of(b, c, rc, "test");
      int pooled = CulnigScores.concat(scores.mlp(), scores.attention()).stream().mapToInt(b::units).sum();
      int gates = scores.mlp().stream().mapToInt(b::units).sum();
      int perCountry = 2;
      int all = perCountry * planted.groupNames().size();
      Culnig.Result result = Culnig.run(scores, new Culnig.Options((all + 0.5) / gates, 0, 0.01, 0.01,
          (perCountry + 0.5) / pooled, 0.01, 0.5, List.of()), "test");
      String hook = planted.hook().replace("hook_post", "hook_pre");
      Set<String> truth = new HashSet<>();
      planted.planted().forEach((group, units) -> {
        for (int u : units) {
          truth.add(group + "/" + new Unit(hook, u));
          truth.add("general/" + new Unit(hook, u));
        }
      });
      int hits = 0;
      for (NeuronSet.Member m : result.neurons().members()) {
        hits += truth.contains(m.group() + "/" + m.unit()) ? 1 : 0;
      }
      int k = 2 * all;
      double precision = (double) hits / k;
      System.out.printf("CULNIG on the planted testbed: precision@%d %.3f (%d of %d memberships planted; general %d,"
          + " per country %s; removed %s)%n", k, precision, hits, result.neurons().members().size(),
          result.neurons().units("general").size(), planted.groupNames().stream()
              .map(g -> g + "=" + result.neurons().units(g).size()).toList(), result.excluded());
      assertTrue(precision >= 0.95, "precision@k " + precision + ": " + result.neurons().members());
    }
  }

  private static Example question(Example x, String prompt, String answer) {
    return new Example(x.line(), x.id(), prompt, null, x.group(), null, null, null,
        new Example.Contrast(prompt, answer, null), null);
  }
}
