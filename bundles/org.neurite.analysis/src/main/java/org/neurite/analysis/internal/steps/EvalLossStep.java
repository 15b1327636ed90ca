package org.neurite.analysis.internal.steps;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.eval.GroupLoss;
import org.neurite.analysis.eval.LossEvaluator;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code eval.loss}: next-token loss and perplexity per group, over whole texts or response tokens.
 * For an intervened model (from {@code intervene}) its base model is measured on the same batches
 * too, with the relative change (intervened - base) / base.
 */
@Component(service = Step.class)
@NeuriteStep(name = "eval.loss")
public final class EvalLossStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("eval.loss")
      .summary("next-token loss and perplexity per group; an intervened model beside its base")
      .input("model", LanguageModel.class, "a causal model, or an intervened one")
      .input("dataset", Dataset.class, "the texts, with their groups")
      .param(ParamSpec.optional("response_only", ParamType.BOOLEAN, "false", "count the loss of response tokens only")))
      .output("losses", Path.class, "per group: loss (nats per token), perplexity and tokens; for an intervened model"
          + " also the base's and the relative change")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    if (!model.spec().causal() || !model.spec().hasLogits()) {
      throw new NeuriteException("Step " + context.stepId() + ": model " + model.name() + " is not a causal language"
          + " model with a head, so it has no next-token loss; for encoders use eval.ablation (embedding shift).");
    }
    LanguageModel base = model instanceof IntervenedModel intervened ? intervened.base() : null;
    LossEvaluator evaluator = new LossEvaluator(context.backend(), context.device(),
        context.param("response_only", Boolean.class));
    GroupLoss measured = new GroupLoss();
    GroupLoss baseLoss = new GroupLoss();
    DatasetLoop.run(context, model, dataset, "loss", batch -> {
      evaluator.add(model, batch, measured);
      if (base != null) {
        evaluator.add(base, batch, baseLoss);
      }
    });
    JsonObject groups = new JsonObject();
    for (String g : measured.groups()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("loss", measured.loss(g));
      entry.addProperty("perplexity", measured.perplexity(g));
      entry.addProperty("tokens", measured.tokens(g));
      context.metric("loss", g, measured.loss(g));
      context.metric("perplexity", g, measured.perplexity(g));
      if (base != null) {
        double change = (measured.loss(g) - baseLoss.loss(g)) / baseLoss.loss(g);
        entry.addProperty("base_loss", baseLoss.loss(g));
        entry.addProperty("base_perplexity", baseLoss.perplexity(g));
        entry.addProperty("relative_change", change);
        context.metric("loss.base", g, baseLoss.loss(g));
        context.metric("loss.relative_change", g, change);
      }
      groups.add(g, entry);
    }
    JsonObject out = new JsonObject();
    out.addProperty("model", model instanceof IntervenedModel intervened ? intervened.label() : model.name());
    out.addProperty("measure", "next-token loss, nats per token" + (context.param("response_only", Boolean.class)
        ? ", response tokens only" : ""));
    out.add("groups", groups);
    Path file = Steps.writeJson(context, "losses.json", "losses", out);
    return StepResult.of("losses", file);
  }
}
