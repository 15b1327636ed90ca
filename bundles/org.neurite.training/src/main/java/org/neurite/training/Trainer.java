package org.neurite.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.training.TrainableDecoders;
import org.neurite.support.config.JsonModelConfig;

/**
 * A training run: parameters from their initial weights or from the store's latest checkpoint, then
 * one optimizer step per batch -- a forward pass that back-propagates the mean next-token loss into
 * the parameters, clipping, AdamW at the scheduled rate -- and a checkpoint every
 * {@code checkpointEvery} steps and at the end.
 *
 * <p>Deterministic for given settings on a given machine (same PyTorch build, same threads): the
 * batches depend on the seed and the step only, and a checkpoint holds the parameters and moments bit
 * for bit, so a run stopped anywhere and resumed ends with the tensors of the uninterrupted run.
 * Parameters and moments live in the run's scope; every array of a step lives in a child scope closed
 * when the step ends.
 */
public final class Trainer {
  /**
   * What fixes a run.
   *
   * @param name the model's name while it trains
   * @param configJson the model's {@code config.json}, written into every checkpoint
   * @param tokenizer a {@code tokenizer.json} copied into every checkpoint, if any
   * @param dtype {@code float32} or {@code float64}
   * @param checkpointEvery steps between checkpoints (the last step always writes one)
   * @param settingsJson everything that determines the run (hyperparameters, seed, data, start), as a
   *     JSON object; a checkpoint written under other settings is not resumed
   */
  public record Settings(String name, String configJson, Optional<Path> tokenizer, Hyperparameters hyper,
      String dtype, String device, int checkpointEvery, String settingsJson) {
    public Settings {
      if (checkpointEvery < 1) {
        throw new NeuriteException("Training parameter 'checkpoint_every' is " + checkpointEvery
            + "; it must be at least 1.");
      }
    }
  }

  /** What a run reports as it goes. */
  public interface Listener {
    /** Before each step; throws to stop the run (a cancellation). */
    default void checkCancelled() {}

    /** The run continues from a checkpoint after {@code step} steps, whose records are {@code history}. */
    default void resumed(int step, List<StepRecord> history) {}

    default void stepDone(StepRecord record) {}

    default void checkpointed(int step, Path folder) {}
  }

  /**
   * @param checkpoint the folder of the final checkpoint
   * @param history every step's record, from step 1
   * @param resumedFrom the steps the run started from (0 for a fresh run)
   */
  public record Result(Path checkpoint, List<StepRecord> history, int resumedFrom) {}

  private Trainer() {}

  /**
   * Trains, resuming from the store's latest checkpoint if it has one.
   *
   * @throws NeuriteException if the latest checkpoint was written under other settings, or the data or
   *     model cannot be trained (a batch without targets, a token outside the vocabulary)
   */
  public static Result train(Settings s, InitialWeights initial, Batches batches, CheckpointStore store,
      TensorBackend backend, Listener listener) throws Exception {
    DataType type = s.dtype().equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    LoadOptions options = new LoadOptions(s.device(), s.dtype());
    ModelConfig config = JsonModelConfig.of(s.configJson(), "the config.json of " + s.name());
    int total = s.hyper().totalSteps();
    try (NDManager run = backend.newScope(s.device())) {
      Optional<Path> latest = store.latest();
      Map<String, NDArray> parameters;
      AdamW adam;
      List<StepRecord> history;
      int done;
      if (latest.isPresent()) {
        String recorded = Checkpoint.settingsOf(latest.get());
        if (!JsonParser.parseString(recorded).equals(JsonParser.parseString(s.settingsJson()))) {
          throw new NeuriteException("The checkpoint " + latest.get() + " was written by a run with other settings ("
              + recorded + ", now " + s.settingsJson() + "); resume with the same settings, or train into an"
              + " empty folder.");
        }
        Checkpoint checkpoint = Checkpoint.read(latest.get(), type, run);
        parameters = new TreeMap<>(checkpoint.parameters());
        adam = AdamW.restored(s.hyper(), checkpoint.step(), parameters, checkpoint.firstMoments(),
            checkpoint.secondMoments());
        history = new ArrayList<>(checkpoint.history());
        done = checkpoint.step();
        listener.resumed(done, List.copyOf(history));
        if (done >= total) {
          return new Result(latest.get(), history, done);
        }
      } else {
        parameters = new TreeMap<>(initial.create(run, type));
        adam = AdamW.fresh(s.hyper(), parameters, run);
        history = new ArrayList<>();
        done = 0;
      }
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      LanguageModel model = TrainableDecoders.onParameters(s.name(), store.root(), config, parameters, s.tokenizer(),
          options, backend);
      try {
        Path last = latest.orElse(null);
        for (int k = done; k < total; k++) {
          listener.checkCancelled();
          StepRecord record = step(model, parameters, adam, batches.at(k), k, s.hyper(), backend, run);
          history.add(record);
          listener.stepDone(record);
          if ((k + 1) % s.checkpointEvery() == 0 || k + 1 == total) {
            last = new Checkpoint(k + 1, parameters, adam.firstMoments(), adam.secondMoments(), history)
                .write(store, s.configJson(), s.tokenizer(), s.settingsJson());
            listener.checkpointed(k + 1, last);
          }
        }
        return new Result(last, List.copyOf(history), done);
      } finally {
        model.close();
      }
    }
  }

  private static StepRecord step(LanguageModel model, Map<String, NDArray> parameters, AdamW adam,
      List<long[]> sequences, int k, Hyperparameters h, TensorBackend backend, NDManager run) {
    double lr = CosineSchedule.lr(h, k);
    try (NDManager scope = run.newSubManager()) {
      Forward forward = TrainableDecoders.backward(model, TokenBatch.of(sequences, TokenBatch.Padding.RIGHT),
          NextTokenLoss.of(sequences), scope);
      double loss = forward.targetValue();
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        NDArray gradient = p.getValue().getGradient();
        gradient.attach(scope);
        if (!gradient.getShape().equals(p.getValue().getShape())) {
          throw new IllegalStateException("parameter " + p.getKey() + " received no gradient at step " + (k + 1));
        }
        gradients.put(p.getKey(), gradient);
      }
      boolean previous = backend.recordGradients(false);
      try {
        GradientClipping.Clip clip = GradientClipping.clip(new ArrayList<>(gradients.values()), h.maxGradNorm());
        adam.update(parameters, gradients, lr);
        for (NDArray g : gradients.values()) {
          g.subi(g);
        }
        return new StepRecord(k + 1, lr, loss, clip.norm(), clip.clipped());
      } finally {
        backend.recordGradients(previous);
      }
    }
  }
}
