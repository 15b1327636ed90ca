package org.neurite.analysis.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/** The answer target reads an example's target, else its multiple-choice answer's text (CULNIG's letters). */
class AnswerTargetTest {
  @TempDir Path dir;

  @Test
  void theAnswerIsTheTargetElseTheChosenOptionsText() throws Exception {
    try (PlantedTestbed testbed = new PlantedTestbed(dir, new PlantedModel().seed(3), "float64", 1)) {
      var tokenizer = testbed.model.tokenizer().orElseThrow();
      Example byTarget = new Example(1, "t", "g0_1 g0_2", null, "g0", null, null, null,
          new Example.Contrast("g1_1 g1_2", "g0_3", null), null);
      Example byChoice = new Example(2, "c", "g0_1 g0_2", null, "g0", null, null,
          new Example.Choices(List.of("g1_5", "g0_3"), 1), null, null);
      Example none = new Example(3, "n", "g0_1 g0_2", null, "g0");
      double[] ours = values(testbed, List.of(byTarget, byChoice), Target.answerLogProb(tokenizer, "test"));
      long answer = tokenizer.encode("g0_3", false)[0];
      double[] direct = values(testbed, List.of(byTarget, byChoice), Target.nextTokenLogProb(new long[] {answer, answer}));
      assertArrayEquals(direct, ours, 0.0);
      assertEquals(ours[0], ours[1], 0.0, "the same prompt and answer, given either way");
      NeuriteException e = assertThrows(NeuriteException.class,
          () -> values(testbed, List.of(none), Target.answerLogProb(tokenizer, "Step s")));
      assertTrue(e.getMessage().startsWith("Step s: example n (line 3) has no answer;"), e.getMessage());
    }
  }

  private static double[] values(PlantedTestbed testbed, List<Example> examples, Target target) {
    Batches.Batch batch = testbed.batcher(examples.stream(), examples.size(), TokenBatch.Padding.LEFT).next();
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      return Target.values(target.apply(testbed.model.forward(batch.tokens(), Hooks.none(), scope), batch));
    }
  }
}
