package org.neurite.analysis.internal.steps;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
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
 * The one loop over a dataset that analysis steps share: tokenize for the model, batch with padding,
 * report progress, stop when the run is cancelled. A step only says what to do with each batch.
 */
final class DatasetLoop {
  static final ParamSpec GROUP_FIELD = ParamSpec.optional("group_by", ParamType.STRING, "\"group\"",
      "which field names an example's group: group (the dataset's group field), label, or a kept label field");
  static final ParamSpec BATCH_SIZE = ParamSpec.optional("batch_size", ParamType.INTEGER, "16", "examples per forward pass");
  static final ParamSpec MAX_TOKENS = ParamSpec.optional("max_tokens", ParamType.INTEGER, "128",
      "the most tokens of an example that are read (the rest is cut off)");

  private DatasetLoop() {}

  static StepSpec.Builder params(StepSpec.Builder spec) {
    return spec.param(GROUP_FIELD).param(BATCH_SIZE).param(MAX_TOKENS);
  }

  /**
   * Runs {@code each} on every batch of the dataset, as the model reads it.
   *
   * <p>A cancelled run ends the loop at the next batch with {@code StepCancelledException}, so a step
   * never goes on with part of the dataset.
   */
  static void run(StepContext context, LanguageModel model, Dataset dataset, String label, Consumer<Batches.Batch> each) {
    run(context, model, dataset, label, (batches, batch) -> each.accept(batch));
  }

  /** As {@link #run(StepContext, LanguageModel, Dataset, String, Consumer)}, with the batcher (for counterparts of a batch). */
  static void run(StepContext context, LanguageModel model, Dataset dataset, String label,
      BiConsumer<Batches, Batches.Batch> each) {
    int size = (int) Steps.positive(context, "batch_size");
    int maxTokens = (int) Steps.positive(context, "max_tokens");
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
  static Tokenization tokenization(LanguageModel model, Dataset dataset, int maxTokens) {
    Tokenization plain = new Tokenization(model, maxTokens);
    return dataset.chat() ? plain.withChat() : plain;
  }
}
