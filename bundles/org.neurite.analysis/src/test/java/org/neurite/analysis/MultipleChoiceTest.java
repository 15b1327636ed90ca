package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.eval.MultipleChoice;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * Multiple-choice answers on the planted testbed, where a group's planted units drive the next
 * token towards the group's own words: a question in group g's words is answered with g's option;
 * zeroing g's planted units takes that away from g alone; a batch answers as its questions alone.
 */
class MultipleChoiceTest {
  @TempDir static Path dir;
  static Planted planted;
  static final List<String> GROUPS = List.of("g0", "g1", "g2");

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(41), "float32", 1);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  /** Questions of six words of one group; options one word of each group, in a shuffled order. */
  private static List<Example> questions(int perGroup) {
    SplittableRandom random = new SplittableRandom(7);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < perGroup; i++) {
      for (int g = 0; g < 3; g++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 6; w++) {
          text.append(w == 0 ? "" : " ").append(PlantedModel.word(g, random.nextInt(8)));
        }
        int shift = random.nextInt(3);
        List<String> options = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
          options.add(PlantedModel.word((k + shift) % 3, random.nextInt(8)));
        }
        int answer = Math.floorMod(g - shift, 3);
        out.add(new Example(out.size() + 1, "q" + out.size(), text.toString(), null, "g" + g, null, null,
            new Example.Choices(options, answer), null, null));
      }
    }
    return out;
  }

  private static Batches.Batch batch(List<Example> examples) {
    Batches batches = new Batches(examples.stream(), new Tokenization(planted.model, 64), "group", examples.size(),
        TokenBatch.Padding.LEFT);
    return batches.next();
  }

  private static double accuracy(int[] chosen, List<Example> questions, String group) {
    int right = 0;
    int total = 0;
    for (int i = 0; i < chosen.length; i++) {
      if (questions.get(i).group().equals(group)) {
        total++;
        right += chosen[i] == questions.get(i).choices().answer() ? 1 : 0;
      }
    }
    return (double) right / total;
  }

  @Test
  void optionsByLikelihoodAreAnsweredByTheirGroupAndLoseItWhenItsUnitsAreZeroed() {
    MultipleChoice choice = new MultipleChoice(Planted.BACKEND, "cpu", 64);
    List<Example> questions = questions(10);
    Batches.Batch all = batch(questions);
    int[] chosen = choice.byLikelihood(planted.model, all, " ", false);
    for (String g : GROUPS) {
      assertTrue(accuracy(chosen, questions, g) >= 0.9, g + ": " + accuracy(chosen, questions, g));
    }
    for (int i = 0; i < questions.size(); i += 7) {
      assertEquals(chosen[i], choice.byLikelihood(planted.model, batch(List.of(questions.get(i))), " ", false)[0],
          "question " + i + " answered alone as in the batch");
    }
    assertArrayEquals(chosen, choice.byLikelihood(planted.model, all, " ", true), "one token per option: mean = sum");

    LanguageModel zeroed = new IntervenedModel(planted.model, Intervention.of(java.util.Map.of(planted.planted.hook(),
        planted.planted.planted().get("g0")), new Operation.Zero(), Positions.ALL), "zero g0");
    int[] ablated = choice.byLikelihood(zeroed, all, " ", false);
    double g0 = accuracy(ablated, questions, "g0");
    System.out.printf("multiple choice by likelihood: g0 %.2f -> %.2f with its units zeroed; g1 %.2f, g2 %.2f%n",
        accuracy(chosen, questions, "g0"), g0, accuracy(ablated, questions, "g1"), accuracy(ablated, questions, "g2"));
    assertTrue(g0 <= 0.5, "g0 after zeroing its units: " + g0);
    assertTrue(accuracy(ablated, questions, "g1") >= 0.9 && accuracy(ablated, questions, "g2") >= 0.9);
  }

  @Test
  void theLetterIsTheOneWhoseTokenHasTheHighestLogitAfterTheShownOptions() {
    MultipleChoice choice = new MultipleChoice(Planted.BACKEND, "cpu", 64);
    List<Example> questions = questions(4);
    // the testbed's vocabulary has no letters: its words serve as the option labels
    List<String> letters = List.of("g0_0", "g1_0", "g2_0");
    int[] batched = choice.byLetter(planted.model, batch(questions), letters);
    for (int i = 0; i < questions.size(); i++) {
      assertEquals(batched[i], choice.byLetter(planted.model, batch(List.of(questions.get(i))), letters)[0], "question " + i);
    }
    assertEquals("g0_1 g0_2\nA. x\nB. y\nAnswer:", MultipleChoice.prompt(new Example(1, "1", "g0_1 g0_2", null, null,
        null, null, new Example.Choices(List.of("x", "y"), 0), null, null), List.of("A", "B")));
    NeuriteException few = assertThrows(NeuriteException.class,
        () -> choice.byLetter(planted.model, batch(questions), List.of("g0_0", "g1_0")));
    assertTrue(few.getMessage().contains("has 3 options but only 2 letters are given"), few.getMessage());
    NeuriteException none = assertThrows(NeuriteException.class, () -> choice.byLikelihood(planted.model,
        batch(List.of(new Example(1, "plain", "g0_1", null, "g0"))), " ", false));
    assertTrue(none.getMessage().contains("is not a multiple-choice question"), none.getMessage());
  }
}
