package org.neurite.analysis.internal.steps;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.eval.MultipleChoice;
import org.neurite.analysis.intervene.IntervenedModel;
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
 * {@code eval.mcq}: multiple-choice accuracy per group, by the options' log-likelihood or by the
 * answer letter's logit; for an intervened model also its base's on the same questions, with the
 * relative drop (base - intervened) / base.
 */
@Component(service = Step.class)
@NeuriteStep(name = "eval.mcq")
public final class EvalChoiceStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("eval.mcq")
      .summary("multiple-choice accuracy per group (option likelihood or answer letter); an intervened model beside its base")
      .input("model", LanguageModel.class, "a causal model, or an intervened one")
      .input("dataset", Dataset.class, "multiple-choice questions (choices and answer fields), with their groups")
      .param(ParamSpec.optional("method", ParamType.STRING, "\"likelihood\"",
          "likelihood (each option as a continuation) or letter (the options shown as A. B. ...; the letter's logit)"))
      .param(ParamSpec.optional("normalise", ParamType.BOOLEAN, "false",
          "likelihood: average the options' log-likelihood over their tokens instead of summing it"))
      .param(ParamSpec.optional("separator", ParamType.STRING, "\" \"", "likelihood: what joins question and option"))
      .param(ParamSpec.optional("letters", ParamType.STRING_LIST, "[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\"]",
          "letter: the labels of the options, in order")))
      .output("accuracy", Path.class, "per group: accuracy and questions; for an intervened model also the base's"
          + " and the relative drop")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    String method = context.param("method", String.class).toLowerCase(Locale.ROOT);
    if (!method.equals("likelihood") && !method.equals("letter")) {
      throw Steps.bad(context, "method", "'" + method + "' is not one of likelihood, letter.");
    }
    List<String> letters = context.param("letters", List.class);
    MultipleChoice choice = new MultipleChoice(context.backend(), context.device(),
        (int) Steps.positive(context, "max_tokens"));
    LanguageModel base = model instanceof IntervenedModel intervened ? intervened.base() : null;
    Map<String, long[]> tally = new TreeMap<>();
    DatasetLoop.run(context, model, dataset, "multiple choice", batch -> {
      int[] chosen = answer(choice, model, batch, method, context, letters);
      int[] baseChosen = base == null ? null : answer(choice, base, batch, method, context, letters);
      for (int i = 0; i < chosen.length; i++) {
        var x = batch.examples().get(i);
        long[] t = tally.computeIfAbsent(x.group() == null ? "all" : x.group(), g -> new long[3]);
        int right = x.example().choices().answer();
        t[0]++;
        t[1] += chosen[i] == right ? 1 : 0;
        t[2] += baseChosen != null && baseChosen[i] == right ? 1 : 0;
      }
    });
    JsonObject groups = new JsonObject();
    tally.forEach((group, t) -> {
      JsonObject entry = new JsonObject();
      double accuracy = (double) t[1] / t[0];
      entry.addProperty("questions", t[0]);
      entry.addProperty("accuracy", accuracy);
      context.metric("accuracy", group, accuracy);
      if (base != null) {
        double baseAccuracy = (double) t[2] / t[0];
        entry.addProperty("base_accuracy", baseAccuracy);
        entry.addProperty("relative_drop", baseAccuracy == 0 ? 0 : (baseAccuracy - accuracy) / baseAccuracy);
        context.metric("accuracy.base", group, baseAccuracy);
      }
      groups.add(group, entry);
    });
    JsonObject out = new JsonObject();
    out.addProperty("model", model instanceof IntervenedModel intervened ? intervened.label() : model.name());
    out.addProperty("method", method + (method.equals("likelihood") && context.param("normalise", Boolean.class)
        ? " (length-normalised)" : ""));
    out.add("groups", groups);
    Path file = Steps.writeJson(context, "accuracy.json", "accuracy", out);
    return StepResult.of("accuracy", file);
  }

  private static int[] answer(MultipleChoice choice, LanguageModel model, Batches.Batch batch, String method,
      StepContext context, List<String> letters) {
    return method.equals("letter") ? choice.byLetter(model, batch, letters)
        : choice.byLikelihood(model, batch, context.param("separator", String.class),
            context.param("normalise", Boolean.class));
  }
}
