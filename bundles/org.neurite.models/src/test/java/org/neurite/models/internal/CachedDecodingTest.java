package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.api.generate.FinishReason;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.core.DecoderModel;
import org.neurite.models.internal.core.KvCache;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.internal.repository.SharedModel;
import org.neurite.models.reference.TinyCheckpoints;

/**
 * Decoding with the key/value cache gives what recomputing the whole sequence at every step gives:
 * the same greedy tokens over 64 steps and the same logits (within 1e-5 of their scale), for every
 * decoder family, Mistral well past its sliding window of 4, Gemma 2 and 3 past theirs.
 */
class CachedDecodingTest {
  private static final int STEPS = 64;
  private static final long[] PROMPT = {5, 17, 42, 8, 23};
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  static Stream<Arguments> decoders() {
    return Stream.of(
        Arguments.of("gpt2", (CheckpointWriter) d -> TinyCheckpoints.gpt2(d).seed(3).positions(128).write()),
        Arguments.of("llama", (CheckpointWriter) d -> TinyCheckpoints.llama(d).seed(4).write()),
        Arguments.of("mistral", (CheckpointWriter) d -> TinyCheckpoints.mistral(d).seed(5).write()),
        Arguments.of("qwen2", (CheckpointWriter) d -> TinyCheckpoints.qwen2(d).seed(6).write()),
        Arguments.of("qwen3", (CheckpointWriter) d -> TinyCheckpoints.qwen3(d).seed(7).write()),
        Arguments.of("gemma", (CheckpointWriter) d -> TinyCheckpoints.gemma(d).seed(8).write()),
        Arguments.of("gemma2 (softcaps, alternating windows)", (CheckpointWriter) d -> TinyCheckpoints.gemma2(d).seed(9)
            .write()),
        Arguments.of("gemma3 (local and global ropes)", (CheckpointWriter) d -> TinyCheckpoints.gemma3(d).seed(10)
            .write()),
        Arguments.of("phi3", (CheckpointWriter) d -> TinyCheckpoints.phi3(d).seed(11).write()),
        Arguments.of("gpt-neox (parallel residual, partial rotary)", (CheckpointWriter) d -> TinyCheckpoints.gptNeox(d)
            .seed(12).write()),
        Arguments.of("opt (learned positions, offset 2)", (CheckpointWriter) d -> TinyCheckpoints.opt(d).seed(13)
            .maxPositions(128).write()));
  }

  @FunctionalInterface
  interface CheckpointWriter {
    Path write(Path dir);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void cachedGreedyDecodingEqualsRecomputingTheWholeSequence(String family, CheckpointWriter writer) {
    LanguageModel model = TestModels.load(repository, writer.write(dir.resolve(family)), "float32");
    DecoderModel decoder = (DecoderModel) ((SharedModel) model).instance();
    long[] sequence = Arrays.copyOf(PROMPT, PROMPT.length + STEPS);
    double worst = 0;
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      try (NDManager generation = scope.newSubManager()) {
      KvCache cache = KvCache.open(generation, model.spec().layers(), 1);
      TokenBatch step = TokenBatch.single(PROMPT);
      for (int s = 0; s < STEPS; s++) {
        int length = PROMPT.length + s;
        float[] cached;
        float[] recomputed;
        try (NDManager work = generation.newSubManager()) {
          cached = lastLogits(decoder.forward(step, cache, Hooks.none(), work).logits());
          recomputed = lastLogits(model.forward(TokenBatch.single(Arrays.copyOf(sequence, length)), Hooks.none(), work)
              .logits());
        }
        worst = Math.max(worst, relative(cached, recomputed));
        long cachedToken = argmax(cached);
        assertEquals(argmax(recomputed), cachedToken, family + ": token " + s);
        sequence[length] = cachedToken;
        step = TokenBatch.single(cachedToken);
      }
      assertEquals(PROMPT.length + STEPS - 1, cache.past(), family);
      assertTrue(worst < 1e-5, family + ": logits differ by " + worst + " of their scale");
      System.out.printf("%s: %d cached greedy tokens equal recomputation; logits within %.2e relative%n", family,
          STEPS, worst);
      }

      List<Generated> generated = model.generate(List.of(PROMPT), GenerationOptions.greedy(STEPS).withIgnoreEos(true),
          GenerationHooks.none(), scope).sequences();
      assertArrayEquals(Arrays.copyOfRange(sequence, PROMPT.length, sequence.length), generated.get(0).outputIds(),
          family);
      assertEquals(FinishReason.length(), generated.get(0).finishReason());
      assertEquals(0, scope.getManagedArrays().size(), family + ": generation left arrays behind");
    }
  }

  private static float[] lastLogits(NDArray logits) {
    long positions = logits.getShape().get(1);
    return logits.get(0).get(positions - 1).toType(DataType.FLOAT32, false).toFloatArray();
  }

  static long argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double relative(float[] ours, float[] reference) {
    double diff = 0;
    double scale = 1e-30;
    for (int i = 0; i < ours.length; i++) {
      diff = Math.max(diff, Math.abs(ours[i] - reference[i]));
      scale = Math.max(scale, Math.abs(reference[i]));
    }
    return diff / scale;
  }
}
