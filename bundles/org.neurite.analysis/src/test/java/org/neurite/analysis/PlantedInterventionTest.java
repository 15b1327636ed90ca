package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.eval.GroupLoss;
import org.neurite.analysis.eval.LossEvaluator;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.intervene.RandomControl;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/** Zeroing planted units destroys the planted behaviour; the same-size random control does not. */
class PlantedInterventionTest {
  @TempDir static Path dir;
  static Planted planted;

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(2).seed(11), "float64", 20);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  private GroupLoss loss(org.neurite.api.model.LanguageModel model) {
    return new LossEvaluator(Planted.BACKEND, "cpu", false).evaluate(model, planted.batches(8, TokenBatch.Padding.RIGHT),
        () -> false);
  }

  @Test
  void zeroingAGroupsPlantedUnitsHurtsThatGroupAndTheControlStaysWithinNoise() {
    GroupLoss base = loss(planted.model);
    String hook = planted.planted.hook();
    for (Map.Entry<String, int[]> group : planted.planted.planted().entrySet()) {
      Map<String, int[]> targeted = Map.of(hook, group.getValue());
      GroupLoss ablated = loss(new IntervenedModel(planted.model,
          Intervention.of(targeted, new Operation.Zero(), Positions.ALL), "targeted"));
      Map<String, int[]> controlUnits = RandomControl.draw(targeted, planted.model.spec(), 7);
      assertEquals(group.getValue().length, controlUnits.get(hook).length, "same size");
      GroupLoss control = loss(new IntervenedModel(planted.model,
          Intervention.of(controlUnits, new Operation.Zero(), Positions.ALL), "control"));

      double rise = ablated.loss(group.getKey()) - base.loss(group.getKey());
      double otherRise = 0;
      int others = 0;
      for (String g : base.groups()) {
        if (!g.equals(group.getKey())) {
          otherRise += Math.abs(ablated.loss(g) - base.loss(g));
          others++;
        }
      }
      otherRise /= others;
      double controlRatio = control.loss(group.getKey()) / base.loss(group.getKey());
      System.out.printf("%s: base %.4f, ablated %.4f (rise %.4f), others' mean |change| %.6f, control ratio %.5f%n",
          group.getKey(), base.loss(group.getKey()), ablated.loss(group.getKey()), rise, otherRise, controlRatio);
      assertTrue(rise > 0.3, "the planted behaviour is destroyed: rise " + rise);
      assertTrue(rise > 5 * otherRise, "at least 5x more than on other groups: " + rise + " vs " + otherRise);
      assertTrue(Math.abs(controlRatio - 1) < 0.02, "the random control stays within noise: " + controlRatio);
    }
  }

  @Test
  void theRandomControlIsSeededDisjointAndOfTheSameSizePerHookPoint() {
    String hook = planted.planted.hook();
    Map<String, int[]> targeted = Map.of(hook, new int[] {0, 5, 10});
    int[] a = RandomControl.draw(targeted, planted.model.spec(), 3).get(hook);
    assertArrayEquals(a, RandomControl.draw(targeted, planted.model.spec(), 3).get(hook), "same seed, same control");
    assertEquals(3, a.length);
    for (int u : a) {
      assertTrue(u != 0 && u != 5 && u != 10, "disjoint from the targeted units");
    }
    List<int[]> draws = List.of(RandomControl.draw(targeted, planted.model.spec(), 4).get(hook),
        RandomControl.draw(targeted, planted.model.spec(), 5).get(hook));
    assertTrue(draws.stream().anyMatch(d -> !java.util.Arrays.equals(d, a)), "another seed, another control");
  }
}
