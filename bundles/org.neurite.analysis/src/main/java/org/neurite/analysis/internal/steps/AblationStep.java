package org.neurite.analysis.internal.steps;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.eval.EmbeddingShift;
import org.neurite.analysis.eval.GroupLoss;
import org.neurite.analysis.eval.LossEvaluator;
import org.neurite.analysis.eval.MultipleChoice;
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
 * on the base, targeted and control models: next-token loss for causal models, the shift of the
 * sentence embedding for encoders. The result is the group x group effect matrix, each entry the
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
      .param(ParamSpec.optional("measure", ParamType.STRING, "\"loss\"", "causal models: loss (next-token loss) or"
          + " mcq (multiple-choice accuracy by the answer letter's logit, as eval.mcq's letter method; the dataset needs"
          + " choices and answer)"))
      .param(ParamSpec.optional("letters", ParamType.STRING_LIST, "[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\"]",
          "measure mcq: the labels of the options, in order")))
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
    String measure = context.param("measure", String.class).toLowerCase(Locale.ROOT);
    if (!measure.equals("loss") && !measure.equals("mcq")) {
      throw Steps.bad(context, "measure", "'" + measure + "' is not one of loss, mcq.");
    }
    if (measure.equals("mcq") && !causal) {
      throw Steps.bad(context, "measure", "mcq needs a causal model with a language-model head; " + model.name()
          + " is an encoder. Use measure loss (the embedding shift) for it.");
    }
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
    JsonObject effects = measure.equals("mcq") ? accuracies(context, model, dataset, targeted, controls)
        : causal ? losses(context, model, dataset, targeted, controls)
        : shifts(context, model, dataset, targeted, controls);
    effects.addProperty("operation", operation.toString());
    effects.addProperty("positions", positions.name().toLowerCase(Locale.ROOT));
    effects.addProperty("seed", seed);
    effects.addProperty("neurons", neurons.name());
    Path file = Steps.writeJson(context, "effects.json", "effects", effects);
    return StepResult.of("effects", file);
  }

  private JsonObject losses(StepContext context, LanguageModel model, Dataset dataset, Map<String, LanguageModel> targeted,
      Map<String, LanguageModel> controls) {
    LossEvaluator evaluator = new LossEvaluator(context.backend(), context.device(), context.param("response_only",
        Boolean.class));
    GroupLoss base = new GroupLoss();
    Map<String, GroupLoss> byTarget = new LinkedHashMap<>();
    Map<String, GroupLoss> byControl = new LinkedHashMap<>();
    targeted.keySet().forEach(g -> {
      byTarget.put(g, new GroupLoss());
      byControl.put(g, new GroupLoss());
    });
    DatasetLoop.run(context, model, dataset, "ablation", batch -> {
      evaluator.add(model, batch, base);
      targeted.forEach((g, m) -> evaluator.add(m, batch, byTarget.get(g)));
      controls.forEach((g, m) -> evaluator.add(m, batch, byControl.get(g)));
    });
    List<String> measured = new ArrayList<>();
    base.groups().forEach(measured::add);
    JsonObject matrix = new JsonObject();
    for (String g : measured) {
      context.metric("loss.base", g, base.loss(g));
    }
    for (String ablated : targeted.keySet()) {
      JsonObject row = new JsonObject();
      for (String g : measured) {
        double b = base.loss(g);
        double t = byTarget.get(ablated).loss(g);
        double c = byControl.get(ablated).loss(g);
        context.metric("loss.targeted:" + ablated, g, t);
        context.metric("loss.control:" + ablated, g, c);
        context.metric("ratio.targeted:" + ablated, g, t / b);
        context.metric("ratio.control:" + ablated, g, c / b);
        JsonObject cell = new JsonObject();
        cell.addProperty("base", b);
        cell.addProperty("targeted", t);
        cell.addProperty("control", c);
        cell.addProperty("targeted_ratio", t / b);
        cell.addProperty("control_ratio", c / b);
        row.add(g, cell);
      }
      matrix.add(ablated, row);
    }
    JsonObject out = new JsonObject();
    out.addProperty("measure", "next-token loss (nats per token); ratios are intervened / base");
    out.add("matrix", matrix);
    return out;
  }

  @SuppressWarnings("unchecked")
  private JsonObject accuracies(StepContext context, LanguageModel model, Dataset dataset,
      Map<String, LanguageModel> targeted, Map<String, LanguageModel> controls) {
    MultipleChoice choice = new MultipleChoice(context.backend(), context.device(),
        (int) Steps.positive(context, "max_tokens"));
    List<String> letters = context.param("letters", List.class);
    Map<String, long[]> base = new TreeMap<>();
    Map<String, Map<String, long[]>> byTarget = new LinkedHashMap<>();
    Map<String, Map<String, long[]>> byControl = new LinkedHashMap<>();
    targeted.keySet().forEach(g -> {
      byTarget.put(g, new TreeMap<>());
      byControl.put(g, new TreeMap<>());
    });
    DatasetLoop.run(context, model, dataset, "ablation", batch -> {
      tally(batch, choice.byLetter(model, batch, letters), base);
      targeted.forEach((g, m) -> tally(batch, choice.byLetter(m, batch, letters), byTarget.get(g)));
      controls.forEach((g, m) -> tally(batch, choice.byLetter(m, batch, letters), byControl.get(g)));
    });
    JsonObject matrix = new JsonObject();
    base.forEach((g, t) -> context.metric("accuracy.base", g, accuracy(t)));
    for (String ablated : targeted.keySet()) {
      JsonObject row = new JsonObject();
      for (String g : base.keySet()) {
        double b = accuracy(base.get(g));
        double t = accuracy(byTarget.get(ablated).get(g));
        double c = accuracy(byControl.get(ablated).get(g));
        context.metric("accuracy.targeted:" + ablated, g, t);
        context.metric("accuracy.control:" + ablated, g, c);
        JsonObject cell = new JsonObject();
        cell.addProperty("base", b);
        cell.addProperty("targeted", t);
        cell.addProperty("control", c);
        cell.addProperty("targeted_change", t - b);
        cell.addProperty("control_change", c - b);
        cell.addProperty("questions", base.get(g)[0]);
        row.add(g, cell);
      }
      matrix.add(ablated, row);
    }
    JsonObject out = new JsonObject();
    out.addProperty("measure", "multiple-choice accuracy by the answer letter's logit; changes are intervened - base");
    out.add("matrix", matrix);
    return out;
  }

  private static void tally(Batches.Batch batch, int[] chosen, Map<String, long[]> counts) {
    for (int i = 0; i < chosen.length; i++) {
      var x = batch.examples().get(i);
      long[] t = counts.computeIfAbsent(x.group() == null ? "all" : x.group(), g -> new long[2]);
      t[0]++;
      t[1] += chosen[i] == x.example().choices().answer() ? 1 : 0;
    }
  }

  private static double accuracy(long[] tally) {
    return (double) tally[1] / tally[0];
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
