package org.neurite.analysis.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

/** The selectors of METHODS.md P5 beyond top-k: bar crossing, consensus over prompts, parameter search. */
class SelectorsTest {
  private static final String H = "blocks.0.mlp.hook_post";

  /** P(active) per language for four units: specific to en, related to en and fr, general, none. */
  private static UnitScores probabilities() {
    Map<String, float[]> byGroup = new LinkedHashMap<>();
    byGroup.put("en", new float[] {0.9f, 0.8f, 0.7f, 0.1f});
    byGroup.put("fr", new float[] {0.1f, 0.6f, 0.8f, 0.2f});
    byGroup.put("de", new float[] {0.2f, 0.1f, 0.9f, 0.3f});
    return new UnitScores("p_active", Map.of(H, byGroup));
  }

  @Test
  void aUnitBelongsToEveryGroupWhoseValuePassesTheBar() {
    List<Unit> units = List.of(new Unit(H, 0), new Unit(H, 1), new Unit(H, 2), new Unit(H, 3));
    NeuronSet set = GroupAssignment.byBar("lape", units, probabilities(), 0.5);
    assertEquals(List.of(new Unit(H, 0), new Unit(H, 1), new Unit(H, 2)), set.units("en"));
    assertEquals(List.of(new Unit(H, 1), new Unit(H, 2)), set.units("fr"));
    assertEquals(List.of(new Unit(H, 2)), set.units("de"));
    assertEquals(0.6, set.members().stream().filter(m -> m.group().equals("fr") && m.unit().index() == 1)
        .findFirst().orElseThrow().score(), 1e-6, "the member's score is its value for that group");
    // N = 1 specific, 1 < N < 3 related, N = 3 general, 0 none
    assertArrayEquals(new int[] {1, 2, 3, 0}, GroupAssignment.groupsAbove(units, probabilities(), 0.5));
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> GroupAssignment.byBar("x", List.of(new Unit(H, 9)), probabilities(), 0.5));
    assertTrue(e.getMessage().contains("outside blocks.0.mlp.hook_post, which has 4 units"), e.getMessage());
  }

  @Test
  void consensusKeepsUnitsOfAtLeastAFractionOfThePrompts() {
    Unit a = new Unit(H, 1);
    Unit b = new Unit(H, 2);
    Unit c = new Unit(H, 3);
    List<Set<Unit>> prompts = List.of(Set.of(a, b), Set.of(a, b, c), Set.of(a), Set.of(a, c), Set.of(b));
    assertEquals(List.of(a, b), Consensus.keptInAtLeast(prompts, 0.6), "3 of 5 needed: a 4, b 3, c 2");
    assertEquals(List.of(a), Consensus.keptInAtLeast(prompts, 0.7), "4 of 5 needed");
    assertEquals(List.of(a, b, c), Consensus.keptInAtLeast(prompts, 0.4));
    assertThrows(IllegalArgumentException.class, () -> Consensus.keptInAtLeast(prompts, 0));
  }

  @Test
  void theAdaptiveRuleMovesTheFractionUntilTheCountFits() {
    Unit a = new Unit(H, 1);
    Unit b = new Unit(H, 2);
    Unit c = new Unit(H, 3);
    List<Set<Unit>> prompts = List.of(Set.of(a, b), Set.of(a, b, c), Set.of(a), Set.of(a, c), Set.of(b));
    // one fact: at 0.7 only a is kept (1 < 2), lowered to 0.65 (still 4 of 5 needed), then to
    // 0.7 - 0.05 - 0.05 = 0.5999999999999999 in doubles, whose 5p = 2.999999999999999 keeps a and b
    Consensus.Adaptive one = Consensus.adaptive(List.of(prompts), 0.7, 0.05, 6, 2, 5, 0);
    assertEquals(List.of(List.of(a, b)), one.kept());
    assertEquals(0.7 - 0.05 - 0.05, one.p());
    assertEquals(3, one.tries().size());
    // a single try keeps what 0.7 keeps
    assertEquals(List.of(List.of(a)), Consensus.adaptive(List.of(prompts), 0.7, 0.05, 1, 2, 5, 0).kept());
    // the mean over the facts decides: 1 and 3 units average 2, in range, so nothing moves
    List<Set<Unit>> generous = List.of(Set.of(a, b, c), Set.of(a, b, c), Set.of(a, b, c), Set.of(a, b, c), Set.of());
    Consensus.Adaptive two = Consensus.adaptive(List.of(prompts, generous), 0.7, 0.05, 6, 2, 5, 0);
    assertEquals(List.of(List.of(a), List.of(a, b, c)), two.kept());
    assertEquals(0.7, two.p());
    // at least 3 prompts: 0.4 asks for 2 of 5, the minimum for 3
    assertEquals(List.of(a, b), Consensus.keptInAtLeast(prompts, 0.4, 3));
  }

  @Test
  void binarySearchFindsTheLargestAndTheSmallestParameterThatMeetsTheConstraint() {
    double lambda = ParameterSearch.largest(0, 0.2, 1e-3, x -> x <= 0.0196);
    assertTrue(lambda <= 0.0196 && lambda > 0.0196 - 1e-3, "largest " + lambda);
    assertEquals(0.2, ParameterSearch.largest(0, 0.2, 1e-3, x -> true));
    double k = ParameterSearch.smallest(0, 10000, 1e-5, x -> x >= 3.25);
    assertTrue(k >= 3.25 && k < 3.25 + 1e-5, "smallest " + k);
    assertThrows(IllegalArgumentException.class, () -> ParameterSearch.largest(1, 1, 1e-3, x -> true));
  }

  @Test
  void theAutosweepBisectionReturnsItsLastGoodMidpointAsTheAuthorsCodeDoes() {
    // hi holds, yet the authors' loop goes on bisecting and keeps the last midpoint that held
    assertEquals(0.2 - 0.2 / 256, ParameterSearch.bisectAsAutosweep(0, 0.2, 1e-3, 64, x -> true), 1e-15);
    double lambda = ParameterSearch.bisectAsAutosweep(0, 0.2, 1e-3, 64, x -> x <= 0.0196);
    assertTrue(lambda <= 0.0196 && lambda > 0.0196 - 1e-3, "bisected " + lambda);
    assertEquals(0.0, ParameterSearch.bisectAsAutosweep(0, 0.2, 1e-3, 64, x -> x == 0));
    assertTrue(Double.isNaN(ParameterSearch.bisectAsAutosweep(0, 0.2, 1e-3, 64, x -> false)), "nowhere: NaN");
    assertEquals(0.1, ParameterSearch.bisectAsAutosweep(0, 0.2, 1e-3, 1, x -> true), 1e-15, "one step only");
  }
}
