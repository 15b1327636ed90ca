package org.neurite.analysis.batch;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.Progress;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.StepSpec;

/**
 * The one loop over a dataset that analysis steps (and the method plugins' steps) share: tokenize
 * for the model, batch with padding (left for decoders, right for encoders), report progress, stop
 * when the run is cancelled. A step declares {@link #params} and only says what to do with each batch.
 */
public final class DatasetLoop {
  public static final ParamSpec GROUP_FIELD = ParamSpec.optional("group_by", ParamType.STRING, "\"group\"",
      "which field names an example's group: group (the dataset's group field), label, or a kept label field");
  public static final ParamSpec BATCH_SIZE = ParamSpec.optional("batch_size", ParamType.INTEGER, "16", "examples per forward pass");
  public static final ParamSpec MAX_TOKENS = ParamSpec.optional("max_tokens", ParamType.INTEGER, "128",
      "the most tokens of an example that are read (the rest is cut off)");

  private DatasetLoop() {}

  /** Adds the loop's parameters ({@code group_by}, {@code batch_size}, {@code max_tokens}) to a step. */
  public static StepSpec.Builder params(StepSpec.Builder spec) {
    return spec.param(GROUP_FIELD).param(BATCH_SIZE).param(MAX_TOKENS);
  }

  /**
   * Runs {@code each} on every batch of the dataset, as the model reads it.
   *
   * <p>A cancelled run ends the loop at the next batch with {@code StepCancelledException}, so a step
   * never goes on with part of the dataset.
   */
  public static void run(StepContext context, LanguageModel model, Dataset dataset, String label, Consumer<Batches.Batch> each) {
    run(context, model, dataset, label, (batches, batch) -> each.accept(batch));
  }

  /** As {@link #run(StepContext, LanguageModel, Dataset, String, Consumer)}, with the batcher (for counterparts of a batch). */
  public static void run(StepContext context, LanguageModel model, Dataset dataset, String label,
      BiConsumer<Batches, Batches.Batch> each) {
    int size = positive(context, "batch_size");
    int maxTokens = positive(context, "max_tokens");
    String groupField = context.param("group_by", String.class);
    long total;
    try (Stream<Example> examples = dataset.examples()) {
      total = examples.count();
    }
    TokenBatch.Padding padding = model.spec().causal() ? TokenBatch.Padding.LEFT : TokenBatch.Padding.RIGHT;
    try (Stream<Example> examples = dataset.examples(); Progress progress = context.progress(label, total)) {
      Batches batches = new Batches(examples, tokenization(model, dataset, maxTokens), groupField, size, padding);
      while (batches.hasNext()) {
        context.checkCancelled();
        Batches.Batch batch = batches.next();
        each.accept(batches, batch);
        progress.advance(batch.examples().size());
      }
    }
  }

  /** How the model reads the dataset: its texts as they are, or in the model's chat template for a chat dataset. */
  public static Tokenization tokenization(LanguageModel model, Dataset dataset, int maxTokens) {
    Tokenization plain = new Tokenization(model, maxTokens);
    return dataset.chat() ? plain.withChat() : plain;
  }

  private static int positive(StepContext context, String param) {
    long value = context.param(param, Long.class);
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new NeuriteException("Step " + context.stepId() + ": " + param + " is " + value + "; it must be at least 1.");
    }
    return (int) value;
  }
}
