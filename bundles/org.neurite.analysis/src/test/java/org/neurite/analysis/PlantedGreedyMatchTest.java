package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.eval.GreedyMatch;
import org.neurite.analysis.eval.GroupAverage;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.api.data.Example;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * Greedy matching, teacher-forced in one pass, against real greedy decoding: a response that is what
 * the model generates matches; one token changed fails from that token on; an intervened model
 * matches what it generates; a padded batch answers as its prompts alone.
 */
class PlantedGreedyMatchTest {
  @TempDir static Path dir;
  static Planted planted;

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(43), "float32", 1);
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  /** Prompts of 2 to 6 words of each group's vocabulary. */
  private static List<String> prompts() {
    List<String> prompts = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      for (int n = 2; n <= 6; n += 2) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < n; w++) {
          text.append(PlantedModel.word(g, (w * 3 + g + n) % 10)).append(' ');
        }
        prompts.add(text.toString());
      }
    }
    return prompts;
  }

  /** The words greedy decoding gives after each prompt, {@code tokens} of them. */
  private static List<String> generated(LanguageModel model, List<String> prompts, int tokens) {
    var tokenizer = planted.model.tokenizer().orElseThrow();
    List<long[]> ids = prompts.stream().map(p -> tokenizer.encode(p.trim())).toList();
    try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
      return model.generate(ids, GenerationOptions.greedy(tokens).withIgnoreEos(true), GenerationHooks.none(), scope)
          .sequences().stream().map(s -> s.text().trim()).toList();
    }
  }

  private static boolean[] match(LanguageModel model, List<String> prompts, List<String> responses, int prefix,
      int batchSize) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      examples.add(new Example(i + 1, "q" + i, prompts.get(i) + responses.get(i), null, "g" + (i / 3), Map.of(),
          new Example.Completion(prompts.get(i), responses.get(i)), null, null, null));
    }
    GreedyMatch greedy = new GreedyMatch(Planted.BACKEND, "cpu", prefix);
    boolean[] out = new boolean[examples.size()];
    int at = 0;
    for (Batches it = new Batches(examples.stream(), new Tokenization(model, 64), "group", batchSize,
        TokenBatch.Padding.LEFT); it.hasNext(); ) {
      Batches.Batch batch = it.next();
      for (boolean m : greedy.matches(model, batch)) {
        out[at++] = m;
      }
    }
    return out;
  }

  @Test
  void theModelsOwnGreedyContinuationMatchesAndAChangedTokenFailsFromThere() {
    List<String> prompts = prompts();
    List<String> responses = generated(planted.model, prompts, 3);
    boolean[] all = new boolean[prompts.size()];
    java.util.Arrays.fill(all, true);
    assertArrayEquals(all, match(planted.model, prompts, responses, 0, 1));
    assertArrayEquals(all, match(planted.model, prompts, responses, 0, 4), "padded batches of 4");

    List<String> changed = new ArrayList<>();
    for (String r : responses) {
      String[] words = r.split(" ");
      words[1] = words[1].equals(PlantedModel.word(0, 9)) ? PlantedModel.word(1, 9) : PlantedModel.word(0, 9);
      changed.add(String.join(" ", words));
    }
    boolean[] none = new boolean[prompts.size()];
    assertArrayEquals(all, match(planted.model, prompts, changed, 1, 4), "the first token still matches");
    assertArrayEquals(none, match(planted.model, prompts, changed, 2, 4), "the second does not");
    assertArrayEquals(none, match(planted.model, prompts, changed, 0, 4));
  }

  @Test
  void anIntervenedModelMatchesWhatItGeneratesAndTheRateCountsPerGroup() {
    List<String> prompts = prompts();
    List<String> base = generated(planted.model, prompts, 3);
    int[] units = planted.planted.planted().get(planted.planted.groupNames().get(0));
    LanguageModel zeroed = new IntervenedModel(planted.model, Intervention.of(Map.of(planted.planted.hook(), units),
        new Operation.Zero(), Positions.ALL), "zero g0");
    List<String> ablated = generated(zeroed, prompts, 3);
    assertNotEquals(base.subList(0, 3), ablated.subList(0, 3), "zeroing g0's units changes g0's continuations");
    boolean[] own = match(zeroed, prompts, ablated, 0, 4);
    for (int i = 0; i < own.length; i++) {
      assertEquals(true, own[i], "prompt " + i + " matches what the intervened model generates");
    }
    boolean[] baseOnZeroed = match(zeroed, prompts, base, 0, 4);
    GroupAverage rate = new GroupAverage();
    for (int i = 0; i < baseOnZeroed.length; i++) {
      rate.add("g" + (i / 3), baseOnZeroed[i]);
      assertEquals(base.get(i).equals(ablated.get(i)), baseOnZeroed[i], "prompt " + i);
    }
    assertEquals(3, rate.count("g0"));
    assertEquals(Stream.of(0, 1, 2).filter(i -> base.get(i).equals(ablated.get(i))).count() / 3.0, rate.mean("g0"));
  }
}
