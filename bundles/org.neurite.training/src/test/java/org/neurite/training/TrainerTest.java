package org.neurite.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.support.config.JsonModelConfig;

/**
 * A run is deterministic for its settings, and one stopped after any step and resumed from its last
 * checkpoint ends with exactly the tensors (and records) of the run that was never stopped.
 */
class TrainerTest {
  static final String CONFIG = "{\"model_type\": \"llama\", \"architectures\": [\"LlamaForCausalLM\"],"
      + " \"hidden_size\": 16, \"intermediate_size\": 24, \"num_hidden_layers\": 2, \"num_attention_heads\": 2,"
      + " \"num_key_value_heads\": 1, \"vocab_size\": 40, \"max_position_embeddings\": 64, \"rms_norm_eps\": 1e-6,"
      + " \"tie_word_embeddings\": false}";
  static final Hyperparameters HYPER = new Hyperparameters(0.01, 0.9, 0.95, 1e-8, 0.1, 2, 6, 0.5);
  private static final DjlTensorBackend BACKEND = new DjlTensorBackend();

  @TempDir Path dir;

  static List<long[]> sequences(long seed, int count) {
    Random random = new Random(seed);
    List<long[]> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long[] s = new long[3 + random.nextInt(6)];
      for (int t = 0; t < s.length; t++) {
        s[t] = random.nextInt(40);
      }
      all.add(s);
    }
    return all;
  }

  private Trainer.Settings settings(Hyperparameters hyper, String dtype) {
    return new Trainer.Settings("tiny", CONFIG, Optional.empty(), hyper, dtype, "cpu", 3,
        "{\"seed\": 7, \"dtype\": \"" + dtype + "\", \"steps\": " + hyper.totalSteps() + "}");
  }

  private Trainer.Result train(Path folder, Trainer.Listener listener, String dtype) throws Exception {
    return Trainer.train(settings(HYPER, dtype), InitialWeights.normal(JsonModelConfig.of(CONFIG, "test"), 7),
        Batches.shuffled(sequences(3, 10), 3, 11), CheckpointStore.in(folder), BACKEND, listener);
  }

  /** Stops the run before step {@code after + 1}, as a kill after step {@code after} would. */
  private static Trainer.Listener stopAfter(int after) {
    int[] done = {0};
    return new Trainer.Listener() {
      @Override
      public void checkCancelled() {
        if (done[0] == after) {
          throw new IllegalStateException("stopped after step " + after);
        }
      }

      @Override
      public void stepDone(StepRecord record) {
        done[0] = record.step();
      }
    };
  }

  @Test
  void aStoppedRunResumesToTheTensorsOfTheUninterruptedOneBitForBit() throws Exception {
    for (String dtype : List.of("float32", "float64")) {
      Trainer.Result whole = train(dir.resolve(dtype + "-whole"), new Trainer.Listener() {}, dtype);
      assertEquals(6, whole.history().size());
      assertEquals(dir.resolve(dtype + "-whole/checkpoint-000006"), whole.checkpoint());
      for (int stop : List.of(3, 5)) {
        Path folder = dir.resolve(dtype + "-stopped-" + stop);
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> train(folder, stopAfter(stop),
            dtype));
        assertEquals("stopped after step " + stop, stopped.getMessage());
        assertTrue(Files.isRegularFile(folder.resolve("checkpoint-000003/trainer_state.json")));
        Trainer.Result resumed = train(folder, new Trainer.Listener() {}, dtype);
        assertEquals(3, resumed.resumedFrom(), "resumed from the last checkpoint");
        for (String file : List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json", "config.json")) {
          assertEquals(-1L, Files.mismatch(whole.checkpoint().resolve(file), resumed.checkpoint().resolve(file)),
              dtype + ", stopped after " + stop + ": " + file + " differs");
        }
        assertEquals(whole.history(), resumed.history());
      }
    }
  }

  @Test
  void theSameSettingsGiveTheSameBytesAndTheLossFalls() throws Exception {
    Trainer.Result first = train(dir.resolve("a"), new Trainer.Listener() {}, "float32");
    Trainer.Result second = train(dir.resolve("b"), new Trainer.Listener() {}, "float32");
    assertEquals(-1L, Files.mismatch(first.checkpoint().resolve("model.safetensors"),
        second.checkpoint().resolve("model.safetensors")));
    Hyperparameters longer = new Hyperparameters(0.01, 0.9, 0.95, 1e-8, 0.1, 2, 40, 1.0);
    List<long[]> repeated = List.of(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {9, 8, 7, 6, 5});
    Trainer.Result trained = Trainer.train(settings(longer, "float32"), InitialWeights.normal(JsonModelConfig.of(
        CONFIG, "test"), 7), Batches.shuffled(repeated, 2, 1), CheckpointStore.in(dir.resolve("c")), BACKEND,
        new Trainer.Listener() {});
    double firstLoss = trained.history().get(0).loss();
    double lastLoss = trained.history().get(39).loss();
    assertEquals(Math.log(40), firstLoss, 0.05, "an untrained model is close to uniform over the vocabulary");
    assertTrue(lastLoss < firstLoss / 4, "loss " + firstLoss + " -> " + lastLoss);
  }

  @Test
  void aCheckpointOfOtherSettingsIsNotResumed() throws Exception {
    Path folder = dir.resolve("x");
    assertThrows(IllegalStateException.class, () -> train(folder, stopAfter(3), "float32"));
    Trainer.Settings other = new Trainer.Settings("tiny", CONFIG, Optional.empty(), HYPER, "float32", "cpu", 3,
        "{\"seed\": 8}");
    NeuriteException refused = assertThrows(NeuriteException.class, () -> Trainer.train(other,
        InitialWeights.normal(JsonModelConfig.of(CONFIG, "test"), 8), Batches.shuffled(sequences(3, 10), 3, 11),
        CheckpointStore.in(folder), BACKEND, new Trainer.Listener() {}));
    assertEquals("The checkpoint " + folder.resolve("checkpoint-000003") + " was written by a run with other settings"
        + " ({\"seed\":7,\"dtype\":\"float32\",\"steps\":6}, now {\"seed\": 8}); resume with the same settings, or"
        + " train into an empty folder.", refused.getMessage());
  }

  @Test
  void nothingOfAStepOutlivesItInTheRunsScope() throws Exception {
    List<ai.djl.ndarray.NDManager> scopes = new ArrayList<>();
    org.neurite.api.backend.TensorBackend watched = (org.neurite.api.backend.TensorBackend) java.lang.reflect.Proxy
        .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {org.neurite.api.backend.TensorBackend.class},
            (proxy, method, args) -> {
              Object result = method.invoke(BACKEND, args);
              if (method.getName().equals("newScope")) {
                scopes.add((ai.djl.ndarray.NDManager) result);
              }
              return result;
            });
    List<Integer> arrays = new ArrayList<>();
    Hyperparameters hyper = new Hyperparameters(0.01, 0.9, 0.95, 1e-8, 0.1, 2, 12, 0.5);
    Trainer.train(new Trainer.Settings("tiny", CONFIG, Optional.empty(), hyper, "float32", "cpu", 100, "{}"),
        InitialWeights.normal(JsonModelConfig.of(CONFIG, "test"), 7), Batches.shuffled(sequences(3, 10), 3, 11),
        CheckpointStore.in(dir.resolve("m")), watched, new Trainer.Listener() {
          @Override
          public void stepDone(StepRecord record) {
            arrays.add(scopes.get(0).getManagedArrays().size());
          }
        });
    assertEquals(12, arrays.size());
    assertEquals(java.util.Collections.nCopies(12, arrays.get(0)), arrays,
        "arrays in the run's scope after each step: " + arrays);
    assertTrue(scopes.stream().noneMatch(ai.djl.ndarray.NDManager::isOpen), "every scope is closed at the end");
  }

  @Test
  void theScheduleIsHuggingFacesCosineWithWarmup() {
    double[] expected = {0, 0.005, 0.01, 0.01 * 0.5 * (1 + Math.cos(Math.PI / 4)), 0.005,
        0.01 * 0.5 * (1 + Math.cos(3 * Math.PI / 4))};
    for (int k = 0; k < 6; k++) {
      assertEquals(expected[k], CosineSchedule.lr(HYPER, k), 1e-15, "step " + k);
    }
  }
}
