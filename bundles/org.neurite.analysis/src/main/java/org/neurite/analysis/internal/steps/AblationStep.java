package org.neurite.analysis.internal.steps;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.eval.EmbeddingShift;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.intervene.RandomControl;
import org.neurite.analysis.select.Selection;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
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
 * {@code eval.ablation}: for each group's neuron set, intervene on it and on its same-size random
 * control (same hook points, same counts, a recorded seed), and measure every group of the dataset
 * on the base, targeted and control models: for causal models what {@code measure} names
 * ({@link AblationMeasure}: loss, multiple-choice accuracy, greedy match, answer probability, refusal rate), the
 * shift of the sentence embedding for encoders. The result is the group x group effect matrix, each entry the
 * pair (targeted, control).
 */
@Component(service = Step.class)
@NeuriteStep(name = "eval.ablation")
public final class AblationStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("eval.ablation")
      .summary("intervenes on each group's units and on a same-size random control; measures every group")
      .input("model", LanguageModel.class, "the model")
      .input("neurons", NeuronSet.class, "the units, per group")
      .input("dataset", Dataset.class, "the examples to measure, with their groups")
      .param(ParamSpec.optional("operation", ParamType.STRING, "\"zero\"", "zero, scale or clamp"))
      .param(ParamSpec.optional("value", ParamType.NUMBER, "0", "the factor of scale, the constant of clamp"))
      .param(ParamSpec.optional("positions", ParamType.STRING, "\"all\"", "where to intervene: all, last or first"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "1", "the seed of the random controls"))
      .param(ParamSpec.optional("response_only", ParamType.BOOLEAN, "false",
          "causal models: count the loss of response tokens only"))
      .param(ParamSpec.optional("measure", ParamType.STRING, "\"loss\"", "causal models: loss (next-token loss,"
          + " ratio intervened / base), mcq (multiple-choice accuracy by the answer letter's logit, as eval.mcq's"
          + " letter method; change intervened - base), greedy_match (the fraction of prompts whose greedy"
          + " continuation is their response; drop (base - intervened) / base) or answer_probability (the mean"
          + " probability of each example's answer as the next token; ratio intervened / base) or refusal (the"
          + " fraction of prompts whose greedy continuation contains a refusal string, the intervention active while"
          + " decoding; change intervened - base)"))
      .param(ParamSpec.optional("letters", ParamType.STRING_LIST, "[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\"]",
          "measure mcq: the labels of the options, in order"))
      .param(ParamSpec.optional("prefix_tokens", ParamType.INTEGER, "0", "measure greedy_match: how many leading"
          + " response tokens must match (relation neurons: 2); 0 for the whole response"))
      .param(ParamSpec.optional("refusal_strings", ParamType.STRING_LIST, "[]", "measure refusal: the strings that"
          + " mark a refusal (any case); [] for eval.generation's default list (docs/generation.md)"))
      .param(ParamSpec.optional("max_new_tokens", ParamType.INTEGER, "64", "measure refusal: the most tokens"
          + " generated per prompt (greedy)")))
      .output("effects", Path.class, "the effect matrix as JSON: for each ablated group, each measured group's"
          + " base, targeted and control values")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    NeuronSet neurons = context.input("neurons", NeuronSet.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    Operation operation = Steps.operation(context);
    Positions positions = Positions.parse(context.param("positions", String.class), "Step " + context.stepId());
    long seed = context.param("seed", Long.class);
    boolean causal = model.spec().causal() && model.spec().hasLogits();
    if (neurons.groups().isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + ": the neuron set " + neurons.name() + " is empty; there"
          + " is nothing to ablate. Loosen the selection rule.");
    }
    Map<String, LanguageModel> targeted = new LinkedHashMap<>();
    Map<String, LanguageModel> controls = new LinkedHashMap<>();
    for (String group : neurons.groups()) {
      Map<String, int[]> units = Selection.byHook(neurons, group);
      Map<String, int[]> control = RandomControl.draw(units, model.spec(), seed);
      targeted.put(group, new IntervenedModel(model, Intervention.of(units, operation, positions), "targeted " + group));
      controls.put(group, new IntervenedModel(model, Intervention.of(control, operation, positions),
          "control " + group + " (seed " + seed + ")"));
    }
    context.metric("control.seed", "", seed);
    String measure = context.param("measure", String.class).toLowerCase(Locale.ROOT);
    if (!causal && !measure.equals("loss")) {
      throw Steps.bad(context, "measure", measure + " needs a causal language model with a head; " + model.name()
          + " (" + model.spec().family() + ") is an encoder, measured by the shift of its embeddings: leave measure"
          + " out.");
    }
    JsonObject effects = causal ? AblationMeasure.of(context, model).run(context, model, dataset, targeted, controls)
        : shifts(context, model, dataset, targeted, controls);
    effects.addProperty("operation", operation.toString());
    effects.addProperty("positions", positions.name().toLowerCase(Locale.ROOT));
    effects.addProperty("seed", seed);
    effects.addProperty("neurons", neurons.name());
    Path file = Steps.writeJson(context, "effects.json", "effects", effects);
    return StepResult.of("effects", file);
  }

  private JsonObject shifts(StepContext context, LanguageModel model, Dataset dataset, Map<String, LanguageModel> targeted,
      Map<String, LanguageModel> controls) {
    Map<String, EmbeddingShift> byTarget = new LinkedHashMap<>();
    Map<String, EmbeddingShift> byControl = new LinkedHashMap<>();
    targeted.keySet().forEach(g -> {
      byTarget.put(g, new EmbeddingShift(context.backend(), context.device()));
      byControl.put(g, new EmbeddingShift(context.backend(), context.device()));
    });
    DatasetLoop.run(context, model, dataset, "ablation", batch -> {
      try (var scope = context.backend().newScope(context.device())) {
        var base = EmbeddingShift.embed(model, batch, scope);
        targeted.forEach((g, m) -> byTarget.get(g).add(base, m, batch));
        controls.forEach((g, m) -> byControl.get(g).add(base, m, batch));
      }
    });
    JsonObject matrix = new JsonObject();
    for (String ablated : targeted.keySet()) {
      JsonObject row = new JsonObject();
      for (String g : byTarget.get(ablated).groups()) {
        double t = byTarget.get(ablated).shift(g);
        double c = byControl.get(ablated).shift(g);
        context.metric("shift.targeted:" + ablated, g, t);
        context.metric("shift.control:" + ablated, g, c);
        JsonObject cell = new JsonObject();
        cell.addProperty("targeted", t);
        cell.addProperty("control", c);
        row.add(g, cell);
      }
      matrix.add(ablated, row);
    }
    JsonObject out = new JsonObject();
    out.addProperty("measure", "embedding shift: 1 - cosine(base, intervened) of the mean last hidden state");
    out.add("matrix", matrix);
    return out;
  }
}
