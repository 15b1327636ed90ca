package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.generate.FinishReason;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.Generation;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.generate.Positions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.core.DecoderModel;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.internal.repository.SharedModel;
import org.neurite.models.reference.TinyCheckpoints;

/**
 * Generation through {@link LanguageModel#generate}: a left-padded batch generates what each prompt
 * generates alone, seeded sampling repeats, hooks act on the positions they are given, an
 * abstaining hook ends its sequence with its reason, and EOS, stop strings and the budget end
 * sequences.
 */
class GenerationTest {
  private static final List<long[]> PROMPTS = List.of(new long[] {4, 9, 33}, new long[] {71, 2, 18, 56, 3, 90, 12},
      new long[] {60, 61, 7, 44, 25});
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;
  private static LanguageModel model;

  @BeforeAll
  static void start() throws IOException {
    repository = TestModels.repository(dir);
    Path folder = TinyCheckpoints.mistral(dir.resolve("mistral")).seed(12).write();
    Files.writeString(folder.resolve("tokenizer.json"), wordTokenizer(101));
    model = TestModels.load(repository, folder, "float32");
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  /** A word-level tokenizer whose token i is the word {@code wNNN}. */
  private static String wordTokenizer(int vocab) {
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < vocab; i++) {
      words.append(i == 0 ? "" : ", ").append(String.format("\"w%03d\": %d", i, i));
    }
    return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [], \"normalizer\": null,"
        + " \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null, \"decoder\": null,"
        + " \"model\": {\"type\": \"WordLevel\", \"vocab\": {" + words + "}, \"unk_token\": \"w000\"}}";
  }

  private static List<Generated> generate(List<long[]> prompts, GenerationOptions options, GenerationHooks hooks) {
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      return model.generate(prompts, options, hooks, scope).sequences();
    }
  }

  @Test
  void aLeftPaddedBatchGeneratesWhatEachPromptGeneratesAlone() {
    GenerationOptions greedy = GenerationOptions.greedy(24).withIgnoreEos(true);
    List<Generated> batched = generate(PROMPTS, greedy, GenerationHooks.none());
    for (int i = 0; i < PROMPTS.size(); i++) {
      Generated alone = generate(List.of(PROMPTS.get(i)), greedy, GenerationHooks.none()).get(0);
      assertArrayEquals(alone.outputIds(), batched.get(i).outputIds(), "prompt " + i);
      assertEquals(24, batched.get(i).outputIds().length);
      assertArrayEquals(PROMPTS.get(i), batched.get(i).promptIds());
      assertEquals(FinishReason.length(), batched.get(i).finishReason());
    }
    assertEquals(String.join(" ", Arrays.stream(batched.get(0).outputIds()).mapToObj(t -> String.format("w%03d", t))
        .toList()), batched.get(0).text());
  }

  @Test
  void seededSamplingRepeatsPerExampleAndDifferentSeedsDiffer() {
    GenerationOptions sampled = GenerationOptions.greedy(32).withIgnoreEos(true).withTemperature(1.5).withTopK(40)
        .withTopP(0.95).withSeed(7);
    List<Generated> first = generate(PROMPTS, sampled, GenerationHooks.none());
    List<Generated> again = generate(PROMPTS, sampled, GenerationHooks.none());
    List<Generated> otherSeed = generate(PROMPTS, sampled.withSeed(1007), GenerationHooks.none());
    for (int i = 0; i < PROMPTS.size(); i++) {
      assertArrayEquals(first.get(i).outputIds(), again.get(i).outputIds(), "prompt " + i);
      assertEquals(7 + i, first.get(i).seed());
      assertFalse(Arrays.equals(first.get(i).outputIds(), otherSeed.get(i).outputIds()), "prompt " + i);
    }
    // Per example: prompt 2 alone with its recorded seed draws what it drew in the batch.
    Generated alone = generate(List.of(PROMPTS.get(2)), sampled.withSeed(first.get(2).seed()), GenerationHooks.none())
        .get(0);
    assertArrayEquals(first.get(2).outputIds(), alone.outputIds());
    Generated greedy = generate(List.of(PROMPTS.get(2)), sampled.withTemperature(0), GenerationHooks.none()).get(0);
    assertFalse(Arrays.equals(greedy.outputIds(), alone.outputIds()), "sampling at temperature 1.5 is not greedy");
  }

  @Test
  void topKOfOneIsGreedy() {
    GenerationOptions greedy = GenerationOptions.greedy(16).withIgnoreEos(true);
    List<Generated> sampled = generate(PROMPTS, greedy.withTemperature(2).withTopK(1).withSeed(3),
        GenerationHooks.none());
    List<Generated> argmax = generate(PROMPTS, greedy, GenerationHooks.none());
    for (int i = 0; i < PROMPTS.size(); i++) {
      assertArrayEquals(argmax.get(i).outputIds(), sampled.get(i).outputIds());
    }
  }

  @Test
  void aReplaceHookOnGeneratedPositionsChangesGeneratedTokensButNotThePromptsLogits() {
    GenerationOptions greedy = GenerationOptions.greedy(12).withIgnoreEos(true);
    Hooks steer = Hooks.none().replace("blocks.0.hook_resid_post", (name, value, batch) -> value.mul(-3));
    GenerationHooks recordFinal = GenerationHooks.of(Hooks.none().record("ln_final.hook_normalized"));
    DecoderModel decoder = (DecoderModel) ((SharedModel) model).instance();
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Generation plain = model.generate(PROMPTS, greedy, recordFinal, scope);
      Generation steered = model.generate(PROMPTS, greedy, recordFinal.on(Positions.GENERATED, steer), scope);
      NDArray plainPrompt = decoder.logits(plain.recorded("ln_final.hook_normalized").get(0).value());
      NDArray steeredPrompt = decoder.logits(steered.recorded("ln_final.hook_normalized").get(0).value());
      assertEquals(0, steered.recorded("ln_final.hook_normalized").get(0).step());
      NDArray direct = model.forward(TokenBatch.of(PROMPTS, TokenBatch.Padding.LEFT), Hooks.none(), scope).logits();
      assertArrayEquals(direct.toFloatArray(), steeredPrompt.toFloatArray(), "the prompt's logits under the hook");
      assertArrayEquals(plainPrompt.toFloatArray(), steeredPrompt.toFloatArray());
      int changed = 0;
      for (int i = 0; i < PROMPTS.size(); i++) {
        long[] a = plain.sequences().get(i).outputIds();
        long[] b = steered.sequences().get(i).outputIds();
        assertEquals(a[0], b[0], "the first token comes from the prompt's last position");
        changed += Arrays.equals(a, b) ? 0 : 1;
      }
      assertEquals(PROMPTS.size(), changed, "every sequence's generated tokens change");
      // The same hook on the prompt changes the prompt's logits.
      Generation onPrompt = model.generate(PROMPTS, greedy, recordFinal.on(Positions.PROMPT, steer), scope);
      assertFalse(Arrays.equals(plainPrompt.toFloatArray(),
          decoder.logits(onPrompt.recorded("ln_final.hook_normalized").get(0).value()).toFloatArray()));
    }
  }

  @Test
  void recordsKeepTheirStepIndex() {
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Generation g = model.generate(PROMPTS, GenerationOptions.greedy(5).withIgnoreEos(true),
          GenerationHooks.of(Hooks.none().record("blocks.1.mlp.hook_post")), scope);
      List<Generation.Recorded> records = g.recorded("blocks.1.mlp.hook_post");
      assertEquals(List.of(0, 1, 2, 3, 4), records.stream().map(Generation.Recorded::step).toList());
      assertEquals(new Shape(3, 7, 48), records.get(0).value().getShape());
      assertEquals(new Shape(3, 1, 48), records.get(4).value().getShape());
    }
  }

  @Test
  void anAbstainingHookEndsItsSequenceWithItsReason() {
    List<Integer> stepsSeen = new ArrayList<>();
    GenerationHooks abstain = GenerationHooks.none().sink(Positions.ALL, "blocks.1.mlp.hook_post", (step, name, value) -> {
      stepsSeen.add(step.index());
      if (step.index() == 3) {
        step.abstain(1, "skill neurons fired");
      }
    });
    List<Generated> out = generate(PROMPTS, GenerationOptions.greedy(8).withIgnoreEos(true), abstain);
    List<Generated> plain = generate(PROMPTS, GenerationOptions.greedy(8).withIgnoreEos(true), GenerationHooks.none());
    assertEquals(FinishReason.abstained("skill neurons fired"), out.get(1).finishReason());
    assertEquals("abstained:skill neurons fired", out.get(1).finishReason().toString());
    assertArrayEquals(Arrays.copyOf(plain.get(1).outputIds(), 3), out.get(1).outputIds());
    assertEquals(FinishReason.length(), out.get(0).finishReason());
    assertArrayEquals(plain.get(0).outputIds(), out.get(0).outputIds());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), stepsSeen);
  }

  @Test
  void eosAndStopStringsEndSequences() {
    Generated plain = generate(List.of(PROMPTS.get(1)), GenerationOptions.greedy(20).withIgnoreEos(true),
        GenerationHooks.none()).get(0);
    long[] tokens = plain.outputIds();
    long third = tokens[2];
    int first = 0;
    while (tokens[first] != third) {
      first++;
    }
    Generated eos = generate(List.of(PROMPTS.get(1)), GenerationOptions.greedy(20).withEosIds(List.of(third)),
        GenerationHooks.none()).get(0);
    assertEquals(FinishReason.eos(), eos.finishReason());
    assertArrayEquals(Arrays.copyOf(tokens, first + 1), eos.outputIds());
    Generated stop = generate(List.of(PROMPTS.get(1)), GenerationOptions.greedy(20).withIgnoreEos(true)
        .withStopStrings(List.of(String.format("w%03d", third))), GenerationHooks.none()).get(0);
    assertEquals(FinishReason.stop(), stop.finishReason());
    assertArrayEquals(Arrays.copyOf(tokens, first + 1), stop.outputIds());
    assertTrue(stop.text().endsWith(String.format("w%03d", third)), stop.text());
  }

  @Test
  void theModelsEosEndsASequenceUnlessIgnored() throws IOException {
    Generated plain = generate(List.of(PROMPTS.get(0)), GenerationOptions.greedy(20).withIgnoreEos(true),
        GenerationHooks.none()).get(0);
    long second = plain.outputIds()[1];
    Path folder = TinyCheckpoints.mistral(dir.resolve("eos")).seed(12).write();
    Files.writeString(folder.resolve("generation_config.json"), "{\"eos_token_id\": [" + second + ", 100]}");
    LanguageModel withEos = TestModels.load(repository, folder, "float32");
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Generated ended = withEos.generate(List.of(PROMPTS.get(0)), GenerationOptions.greedy(20), GenerationHooks.none(),
          scope).sequences().get(0);
      assertEquals(FinishReason.eos(), ended.finishReason());
      assertEquals(second, ended.outputIds()[ended.outputIds().length - 1]);
      assertEquals("", ended.text(), "no tokenizer, no text");
    }
  }

  @Test
  void badOptionsAndRequestsSayWhatToFix() {
    assertEquals("temperature is -1.0; give 0 for greedy decoding or a positive number to sample.",
        assertThrows(NeuriteException.class, () -> GenerationOptions.greedy(4).withTemperature(-1)).getMessage());
    assertEquals("top-p is 0.0; give a probability above 0 and at most 1 (1 keeps every token).",
        assertThrows(NeuriteException.class, () -> GenerationOptions.greedy(4).withTopP(0)).getMessage());
    assertEquals("max new tokens is 0; give at least 1.",
        assertThrows(NeuriteException.class, () -> GenerationOptions.greedy(0)).getMessage());
    NeuriteException gradient = assertThrows(NeuriteException.class, () -> generate(PROMPTS,
        GenerationOptions.greedy(2), GenerationHooks.of(Hooks.none().gradient("blocks.0.mlp.hook_post"))));
    assertTrue(gradient.getMessage().contains("do not apply during generation"), gradient.getMessage());
    NeuriteException typo = assertThrows(NeuriteException.class, () -> generate(PROMPTS,
        GenerationOptions.greedy(2), GenerationHooks.of(Hooks.none().record("blocks.0.mlp.hook_pst"))));
    assertTrue(typo.getMessage().contains("matches no hook point"), typo.getMessage());
    NeuriteException abstain = assertThrows(NeuriteException.class, () -> generate(PROMPTS, GenerationOptions.greedy(2),
        GenerationHooks.none().sink(Positions.ALL, "hook_embed", (step, name, value) -> step.abstain(5, "x"))));
    assertEquals("Sequence 5 does not exist at decoding step 0; the batch has 3 (rows 0 to 2).", abstain.getMessage());
  }

  @Test
  void gpt2RefusesToGeneratePastItsPositions() throws IOException {
    LanguageModel gpt2 = TestModels.load(repository, TinyCheckpoints.gpt2(dir.resolve("gpt2")).seed(2).positions(16)
        .write(), "float32");
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      NeuriteException e = assertThrows(NeuriteException.class, () -> gpt2.generate(List.of(new long[] {1, 2, 3}),
          GenerationOptions.greedy(40).withIgnoreEos(true), GenerationHooks.none(), scope));
      assertEquals("A sequence reaches position 16; model gpt2 takes at most 16 positions (max_position_embeddings)."
          + " Shorten the prompt or generate fewer tokens.", e.getMessage());
      assertEquals(0, scope.getManagedArrays().size(), "a failed generation frees its cache");
    }
  }
}
