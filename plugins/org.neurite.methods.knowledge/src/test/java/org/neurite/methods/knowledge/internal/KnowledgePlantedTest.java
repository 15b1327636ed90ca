package org.neurite.methods.knowledge.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.analysis.Unit;
import org.neurite.api.data.Example;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * Knowledge neurons on the planted-unit testbed: a group's planted units raise the logits of its
 * words, so for prompts of a group's words whose answer is one of its words, the knowledge neurons
 * found (every layer's FFN units scored) are that group's planted units.
 */
class KnowledgePlantedTest {
  @TempDir Path dir;

  @Test
  void theKnowledgeNeuronsOfEachGroupsFactsAreItsPlantedUnits() throws Exception {
    PlantedModel planted = new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(5);
    try (PlantedTestbed testbed = new PlantedTestbed(dir, planted, "float32", 1)) {
      List<Example> prompts = new ArrayList<>();
      long line = 0;
      for (int g = 0; g < 3; g++) {
        for (int fact = 0; fact < 3; fact++) {
          for (int paraphrase = 0; paraphrase < 4; paraphrase++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 5 + paraphrase; w++) {
              text.append(w == 0 ? "" : " ").append(PlantedModel.word(g, (fact * 3 + paraphrase + w * 2) % 10));
            }
            line++;
            prompts.add(new Example(line, "g" + g + "-f" + fact + "-" + paraphrase, text.toString(), null,
                planted.groupNames().get(g), Map.of("fact", "g" + g + "-f" + fact), null, null,
                new Example.Contrast(null, PlantedModel.word(g, fact), null), null));
          }
        }
      }
      List<String> hooks = new ArrayList<>();
      for (int l = 0; l < testbed.model.spec().layers(); l++) {
        hooks.add("blocks." + l + ".mlp.hook_post");
      }
      Target target = Target.probability(Target.answerLogProb(testbed.model.tokenizer().orElseThrow(), "test"));
      Attributions attributions = new Attributions(PlantedTestbed.BACKEND, "cpu");
      List<KnowledgeNeurons.Prompt> scored = new ArrayList<>();
      Batches batches = new Batches(prompts.stream(), new Tokenization(testbed.model, 64), "group", 6,
          TokenBatch.Padding.LEFT);
      while (batches.hasNext()) {
        Batches.Batch batch = batches.next();
        List<Map<String, double[]>> perExample = new ArrayList<>();
        batch.examples().forEach(x -> perExample.add(new LinkedHashMap<>()));
        for (String hook : hooks) {
          double[][] s = attributions.integratedGradients(testbed.model, batch, hook, target, Positions.LAST, 20, null,
              Attributions.Riemann.LEFT).scores();
          for (int i = 0; i < s.length; i++) {
            perExample.get(i).put(hook, s[i]);
          }
        }
        for (int i = 0; i < perExample.size(); i++) {
          Example x = batch.examples().get(i).example();
          scored.add(new KnowledgeNeurons.Prompt(x.id(), x.labelOf("fact").orElseThrow(), x.group(), perExample.get(i)));
        }
      }
      List<KnowledgeNeurons.Relation> relations = KnowledgeNeurons.select(scored,
          new KnowledgeNeurons.Options(0.1, 0.2, 0.7, 0.05, 6, 2, 5, 3, 0.1), "test");
      Set<String> truth = new HashSet<>();
      planted.planted().forEach((group, units) -> {
        for (int u : units) {
          truth.add(group + "/" + new Unit(planted.hook(), u));
        }
      });
      int hits = 0;
      int found = 0;
      for (KnowledgeNeurons.Relation r : relations) {
        for (List<Unit> kns : r.search().kept()) {
          for (Unit u : kns) {
            found++;
            hits += truth.contains(r.name() + "/" + u) ? 1 : 0;
          }
        }
      }
      double precision = (double) hits / found;
      System.out.printf("knowledge neurons on the planted testbed: %d of %d found units planted for their group"
          + " (precision %.3f); p per group %s%n", hits, found, precision,
          relations.stream().map(r -> r.name() + " " + r.search().p()).toList());
      assertTrue(found >= 9, "every fact has knowledge neurons: " + found);
      assertTrue(precision >= 0.95, "precision " + precision);
    }
  }
}
