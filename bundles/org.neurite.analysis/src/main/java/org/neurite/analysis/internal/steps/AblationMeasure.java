package org.neurite.analysis.internal.steps;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.DoubleBinaryOperator;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.analysis.eval.GenerationScores;
import org.neurite.analysis.eval.GreedyMatch;
import org.neurite.analysis.eval.GroupAverage;
import org.neurite.analysis.eval.GroupLoss;
import org.neurite.analysis.eval.LossEvaluator;
import org.neurite.analysis.eval.MultipleChoice;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.model.LanguageModel;

/**
 * What {@code eval.ablation} measures on a causal model, per group of the dataset, on the base,
 * every targeted and every control model in one pass: a value per group ({@code name}) and how it
 * compares with the base ({@code relative}).
 *
 * @param name the value's name in metrics ({@code loss}, {@code accuracy}, {@code probability},
 *     {@code refusal_rate})
 * @param relative the comparison's name ({@code ratio}, {@code change}, {@code drop})
 * @param compare (base, intervened) to the comparison
 * @param add adds one batch of one model to its values
 */
record AblationMeasure(String name, String relative, DoubleBinaryOperator compare, String description,
    Adder add) {

  /** Adds one batch of one model to its accumulator. */
  interface Adder {
    void add(LanguageModel model, Batches.Batch batch, Values into);
  }

  /** Per group, the measured value: a mean loss per token, or a mean of one value per example. */
  static final class Values {
    final GroupLoss loss = new GroupLoss();
    final GroupAverage average = new GroupAverage();
    private boolean losses;

    Iterable<String> groups() {
      return losses ? loss.groups() : average.groups();
    }

    double value(String group) {
      return losses ? loss.loss(group) : average.mean(group);
    }
  }

  static final List<String> NAMES = List.of("loss", "mcq", "greedy_match", "answer_probability", "refusal");

  /** The measure a step's {@code measure} parameter names. */
  @SuppressWarnings("unchecked")
  static AblationMeasure of(StepContext context, LanguageModel model) {
    String measure = context.param("measure", String.class).toLowerCase(Locale.ROOT);
    switch (measure) {
      case "loss": {
        LossEvaluator evaluator = new LossEvaluator(context.backend(), context.device(),
            context.param("response_only", Boolean.class));
        return new AblationMeasure("loss", "ratio", (b, x) -> x / b,
            "next-token loss (nats per token); ratios are intervened / base", (m, batch, into) -> {
              into.losses = true;
              evaluator.add(m, batch, into.loss);
            });
      }
      case "mcq": {
        MultipleChoice choice = new MultipleChoice(context.backend(), context.device(),
            (int) Steps.positive(context, "max_tokens"));
        List<String> letters = context.param("letters", List.class);
        return new AblationMeasure("accuracy", "change", (b, x) -> x - b, "multiple-choice accuracy by the answer"
            + " letter's logit; changes are intervened - base", (m, batch, into) -> perExample(batch,
                choice.byLetter(m, batch, letters), (i, chosen) -> into.average.add(group(batch, i),
                    chosen == batch.examples().get(i).example().choices().answer())));
      }
      case "greedy_match": {
        long prefix = context.param("prefix_tokens", Long.class);
        if (prefix < 0) {
          throw Steps.bad(context, "prefix_tokens", prefix + " is negative; give 0 (the whole response) or more.");
        }
        GreedyMatch match = new GreedyMatch(context.backend(), context.device(), (int) prefix);
        return new AblationMeasure("accuracy", "drop", (b, x) -> b == 0 ? 0 : (b - x) / b, "greedy match: the"
            + " fraction of prompts whose greedy continuation is their response" + (prefix == 0 ? ""
            : " (its first " + prefix + " tokens)") + "; drops are (base - intervened) / base",
            (m, batch, into) -> match.add(m, batch, into.average));
      }
      case "answer_probability": {
        String where = "Step " + context.stepId();
        Target target = Target.answerLogProb(model.tokenizer().orElseThrow(() -> new NeuriteException(where
            + ": model " + model.name() + " has no tokenizer, which answer_probability needs to encode each answer.")),
            where);
        Attributions attributions = new Attributions(context.backend(), context.device());
        return new AblationMeasure("probability", "ratio", (b, x) -> x / b, "the mean probability of each example's"
            + " answer as the next token after it; ratios are intervened / base", (m, batch, into) -> {
              try (NDManager scope = context.backend().newScope(context.device())) {
                double[] logp = attributions.perSequence(m, batch, target, scope);
                for (int i = 0; i < logp.length; i++) {
                  into.average.add(group(batch, i), Math.exp(logp[i]));
                }
              }
            });
      }
      case "refusal": {
        List<String> given = context.param("refusal_strings", List.class);
        List<String> strings = given.isEmpty() ? GenerationScores.REFUSAL_STRINGS : List.copyOf(given);
        GenerationOptions greedy = GenerationOptions.greedy((int) Steps.positive(context, "max_new_tokens"));
        return new AblationMeasure("refusal_rate", "change", (b, x) -> x - b, "refusal rate: the fraction of prompts"
            + " whose greedy continuation (" + greedy.maxNewTokens() + " tokens at most, the intervention active"
            + " while decoding) contains one of " + strings + " (any case); changes are intervened - base",
            (m, batch, into) -> {
              List<long[]> prompts = new ArrayList<>();
              for (TokenizedExample x : batch.examples()) {
                prompts.add(x.responseStart() > 0 ? Arrays.copyOf(x.ids(), x.responseStart()) : x.ids());
              }
              List<Generated> generated;
              try (NDManager scope = context.backend().newScope(context.device())) {
                generated = m.generate(prompts, greedy, GenerationHooks.none(), scope).sequences();
              }
              for (int i = 0; i < generated.size(); i++) {
                into.average.add(group(batch, i), GenerationScores.refused(generated.get(i).text(), strings) ? 1 : 0);
              }
            });
      }
      default:
        throw Steps.bad(context, "measure", "'" + measure + "' is not one of " + String.join(", ", NAMES) + ".");
    }
  }

  private static String group(Batches.Batch batch, int i) {
    String g = batch.examples().get(i).group();
    return g == null ? "all" : g;
  }

  private static void perExample(Batches.Batch batch, int[] values, BiConsumer<Integer, Integer> each) {
    for (int i = 0; i < values.length; i++) {
      each.accept(i, values[i]);
    }
  }

  /**
   * Measures the base, targeted and control models in one pass over the dataset and writes the
   * effect matrix: for each ablated group and each measured group the base, targeted and control
   * values and their comparisons with the base, as cells and as metrics ({@code NAME.base},
   * {@code NAME.targeted:G}, {@code RELATIVE.control:G}, ...).
   */
  JsonObject run(StepContext context, LanguageModel model, Dataset dataset, Map<String, LanguageModel> targeted,
      Map<String, LanguageModel> controls) {
    Map<String, LanguageModel> models = new LinkedHashMap<>();
    models.put("base", model);
    targeted.forEach((g, m) -> models.put("targeted:" + g, m));
    controls.forEach((g, m) -> models.put("control:" + g, m));
    Map<String, Values> values = new LinkedHashMap<>();
    models.keySet().forEach(k -> values.put(k, new Values()));
    DatasetLoop.run(context, model, dataset, "ablation", batch -> models.forEach((k, m) -> add.add(m, batch,
        values.get(k))));
    Values base = values.get("base");
    List<String> measured = new ArrayList<>();
    base.groups().forEach(measured::add);
    for (String g : measured) {
      context.metric(name + ".base", g, base.value(g));
    }
    JsonObject matrix = new JsonObject();
    for (String ablated : targeted.keySet()) {
      JsonObject row = new JsonObject();
      for (String g : measured) {
        double b = base.value(g);
        double t = values.get("targeted:" + ablated).value(g);
        double c = values.get("control:" + ablated).value(g);
        context.metric(name + ".targeted:" + ablated, g, t);
        context.metric(name + ".control:" + ablated, g, c);
        context.metric(relative + ".targeted:" + ablated, g, compare.applyAsDouble(b, t));
        context.metric(relative + ".control:" + ablated, g, compare.applyAsDouble(b, c));
        JsonObject cell = new JsonObject();
        cell.addProperty("base", b);
        cell.addProperty("targeted", t);
        cell.addProperty("control", c);
        cell.addProperty("targeted_" + relative, compare.applyAsDouble(b, t));
        cell.addProperty("control_" + relative, compare.applyAsDouble(b, c));
        row.add(g, cell);
      }
      matrix.add(ablated, row);
    }
    JsonObject out = new JsonObject();
    out.addProperty("measure", description);
    out.add("matrix", matrix);
    return out;
  }
}
