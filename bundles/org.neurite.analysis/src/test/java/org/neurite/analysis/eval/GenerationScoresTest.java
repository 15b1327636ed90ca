package org.neurite.analysis.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The scorers of eval.generation, one behaviour each. */
class GenerationScoresTest {
  @Test
  void aRefusalIsAnyRefusalStringInAnyCase() {
    assertTrue(GenerationScores.refused("Sure? no. i CANNOT help with that.", GenerationScores.REFUSAL_STRINGS));
    assertTrue(GenerationScores.refused("I\u2019m sorry, but that is not something I do.",
        GenerationScores.REFUSAL_STRINGS));
    assertFalse(GenerationScores.refused("Step 1: mix the flour and the water.", GenerationScores.REFUSAL_STRINGS));
    assertTrue(GenerationScores.refused("Nope.", List.of("nope")));
    assertFalse(GenerationScores.refused("I cannot.", List.of("nope")));
  }

  @Test
  void exactMatchIgnoresSurroundingWhitespaceOnly() {
    assertTrue(GenerationScores.exact("  Paris\n", "Paris"));
    assertFalse(GenerationScores.exact("Paris.", "Paris"));
    assertFalse(GenerationScores.exact("paris", "Paris"));
  }

  @Test
  void prefixMatchComparesTheFirstNTokens() {
    assertTrue(GenerationScores.prefix(new long[] {5, 9, 1, 1}, new long[] {5, 9, 7}, 2));
    assertFalse(GenerationScores.prefix(new long[] {5, 8, 1}, new long[] {5, 9}, 2));
    assertTrue(GenerationScores.prefix(new long[] {5, 3}, new long[] {5}, 2), "an answer shorter than n: all of it");
    assertFalse(GenerationScores.prefix(new long[] {5}, new long[] {5, 9}, 2), "an output shorter than n");
    assertFalse(GenerationScores.prefix(new long[] {5}, new long[] {}, 2), "an empty answer matches nothing");
  }

  @Test
  void theNumericAnswerFollowsTheMarkerElseItIsTheLastNumber() {
    assertEquals(OptionalDouble.of(72), GenerationScores.number("48 + 24 = 72 clips\n#### 72"));
    assertEquals(OptionalDouble.of(1234.5), GenerationScores.number("#### 1,234.5 and then 7"));
    assertEquals(OptionalDouble.of(-3), GenerationScores.number("first 10, then 4, so -3"));
    assertEquals(OptionalDouble.empty(), GenerationScores.number("no digits here"));
    assertTrue(GenerationScores.numeric("So she has 18 dollars.", "She sells 16 - 3 - 4 = 9 eggs.\n#### 18"));
    assertFalse(GenerationScores.numeric("So she has 17 dollars.", "#### 18"));
    assertFalse(GenerationScores.numeric("I do not know.", "#### 18"));
  }
}
