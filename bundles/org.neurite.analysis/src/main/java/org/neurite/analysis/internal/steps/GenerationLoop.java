package org.neurite.analysis.internal.steps;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.StepSpec;
import org.neurite.support.generate.GenerationRecords;

/**
 * What the generation steps share: the decoding parameters, and generating for every example of a
 * dataset in batches (the prompt of a prompt/response example, else its text), example {@code i}
 * sampled with seed {@code seed + i} whichever batch it falls in.
 */
final class GenerationLoop {
  /** One example and what it generated. */
  record Row(TokenizedExample example, Generated generated) {
    /** The prompt as the dataset gives it, or null for pre-tokenised ids. */
    String promptText() {
      Example x = example.example();
      if (x.ids() != null) {
        return null;
      }
      return x.completion() != null ? x.completion().prompt() : x.text();
    }

    String jsonLine() {
      return GenerationRecords.line(example.example().id(), promptText(), generated);
    }
  }

  private GenerationLoop() {}

  static StepSpec.Builder params(StepSpec.Builder spec) {
    return DatasetLoop.params(spec)
        .param(ParamSpec.optional("max_new_tokens", ParamType.INTEGER, "64", "the most tokens generated per example"))
        .param(ParamSpec.optional("temperature", ParamType.NUMBER, "0", "0 for greedy decoding, else the sampling"
            + " temperature"))
        .param(ParamSpec.optional("top_k", ParamType.INTEGER, "0", "sample from the k most likely tokens; 0 for all"))
        .param(ParamSpec.optional("top_p", ParamType.NUMBER, "1", "sample from the smallest set of most likely tokens"
            + " whose probability reaches p; 1 for all"))
        .param(ParamSpec.optional("seed", ParamType.INTEGER, "0", "the seed of the first example; example i uses"
            + " seed + i (recorded per example)"))
        .param(ParamSpec.optional("stop", ParamType.STRING_LIST, "[]", "texts that end an example's output"))
        .param(ParamSpec.optional("ignore_eos", ParamType.BOOLEAN, "false", "run to max_new_tokens even past EOS"));
  }

  @SuppressWarnings("unchecked")
  static GenerationOptions options(StepContext context) {
    return new GenerationOptions((int) Steps.positive(context, "max_new_tokens"),
        context.param("temperature", Double.class), context.param("top_k", Long.class).intValue(),
        context.param("top_p", Double.class), context.param("seed", Long.class), List.of(),
        context.param("ignore_eos", Boolean.class), context.param("stop", List.class));
  }

  /** Generates for every example, in dataset order. */
  static List<Row> run(StepContext context, LanguageModel model, Dataset dataset) {
    GenerationOptions options = options(context);
    List<Row> rows = new ArrayList<>();
    DatasetLoop.run(context, model, dataset, "generating", batch -> {
      List<long[]> prompts = new ArrayList<>();
      for (TokenizedExample x : batch.examples()) {
        long[] ids = x.ids();
        prompts.add(x.responseStart() > 0 ? Arrays.copyOf(ids, x.responseStart()) : ids);
      }
      List<Generated> generated;
      try (NDManager scope = context.backend().newScope(context.device())) {
        generated = model.generate(prompts, options.withSeed(options.seed() + rows.size()), GenerationHooks.none(),
            scope).sequences();
      }
      for (int i = 0; i < prompts.size(); i++) {
        rows.add(new Row(batch.examples().get(i), generated.get(i)));
      }
    });
    return rows;
  }

  /** Writes the rows as the JSON Lines artifact {@code generations.jsonl}. */
  static java.nio.file.Path write(StepContext context, List<Row> rows) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (Row row : rows) {
      lines.append(row.jsonLine()).append('\n');
    }
    return context.artifacts().write("generations.jsonl", "generations", temporary -> java.nio.file.Files.writeString(
        temporary, lines, java.nio.charset.StandardCharsets.UTF_8));
  }
}
