package org.neurite.methods.knowledge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.testbed.PlantedModel;

/**
 * Relation neurons on the planted-unit testbed, each group standing for a relation: the units
 * planted to fire on one group's prompts have average precision 1 for it and are its top k, at
 * every hook point pooled; a batch ranks as its prompts alone.
 */
class RelationPlantedTest {
  static final ai.djl.ndarray.NDManager SCOPE = PlantedTestbed.BACKEND.newScope("cpu");

  @org.junit.jupiter.api.AfterAll
  static void closeScope() {
    SCOPE.close();
  }
  @TempDir Path dir;

  @Test
  void theTopUnitsOfEachRelationAreItsPlantedUnits() throws Exception {
    PlantedModel planted = new PlantedModel().groups(4).plantedPerGroup(3).dMlp(64).exclusive(12).seed(7);
    try (PlantedTestbed testbed = new PlantedTestbed(dir, planted, "float32", 20)) {
      List<String> relations = planted.groupNames();
      List<String> hooks = new ArrayList<>();
      for (int l = 0; l < testbed.model.spec().layers(); l++) {
        hooks.add("blocks." + l + ".mlp.hook_post");
        hooks.add("blocks." + l + ".hook_mlp_out");
      }
      RelationNeurons method = PromptRows.of(testbed.model, testbed.examples, relations, hooks, Positions.ALL, null, 8);
      List<RelationNeurons.PerRelation> results = method.run(new RelationNeurons.Options(4, 3, 1), SCOPE, "test");
      NeuronSet neurons = RelationNeurons.neurons("relation", results);
      Set<String> truth = new HashSet<>();
      planted.planted().forEach((group, units) -> {
        for (int u : units) {
          truth.add(group + "/" + new Unit(planted.hook(), u));
        }
      });
      int hits = 0;
      for (NeuronSet.Member m : neurons.members()) {
        hits += truth.contains(m.group() + "/" + m.unit()) ? 1 : 0;
        assertEquals(1.0, m.score(), 1e-12, m.toString());
      }
      double precision = (double) hits / neurons.members().size();
      System.out.printf("Relation neurons on the planted testbed: precision@3 per relation %.3f (%d of %d)%n",
          precision, hits, neurons.members().size());
      assertTrue(precision >= 0.95, "precision@k " + precision + ": " + neurons.members());
      for (RelationNeurons.PerRelation r : results) {
        assertEquals(Math.min(4L * r.positives(), 3L * r.positives()), r.negatives().length,
            "4 negatives per positive, or every other prompt when there are fewer");
      }

      RelationNeurons single = PromptRows.of(testbed.model, testbed.examples, relations, hooks, Positions.ALL, null, 1);
      List<RelationNeurons.PerRelation> alone = single.run(new RelationNeurons.Options(0, 3, 1), SCOPE, "test");
      List<RelationNeurons.PerRelation> batched = method.run(new RelationNeurons.Options(0, 3, 1), SCOPE, "test");
      for (int r = 0; r < relations.size(); r++) {
        for (String hook : hooks) {
          double[] a = alone.get(r).ap().get(hook);
          double[] b = batched.get(r).ap().get(hook);
          for (int u = 0; u < a.length; u++) {
            assertEquals(a[u], b[u], 1e-6, relations.get(r) + " " + hook + " " + u);
          }
        }
      }
    }
  }
}
