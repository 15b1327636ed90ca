package org.neurite.analysis.internal.steps;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code generate}: a continuation of every example's prompt, as a JSON Lines artifact (id, prompt,
 * output, output_ids, finish_reason, seed), with the count of each finish reason as metrics.
 */
@Component(service = Step.class)
@NeuriteStep(name = "generate")
public final class GenerateStep implements Step {
  private static final StepSpec SPEC = GenerationLoop.params(StepSpec.named("generate")
      .summary("generate a continuation of each example's prompt (greedy or sampled, KV-cached) into a JSONL file")
      .input("model", LanguageModel.class, "a causal decoder, or an intervened one")
      .input("dataset", Dataset.class, "the prompts: texts, or prompts of prompt/response examples (chat: true wraps"
          + " them in the model's chat template)"))
      .output("generations", Path.class, "one JSON line per example: id, prompt, output, output_ids, finish_reason,"
          + " seed")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    List<GenerationLoop.Row> rows = GenerationLoop.run(context, model, dataset);
    Map<String, Long> reasons = new TreeMap<>();
    for (GenerationLoop.Row row : rows) {
      reasons.merge(row.generated().finishReason().kind().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    }
    reasons.forEach((reason, n) -> context.metric("finished." + reason, "all", n));
    return StepResult.of("generations", GenerationLoop.write(context, rows));
  }
}
