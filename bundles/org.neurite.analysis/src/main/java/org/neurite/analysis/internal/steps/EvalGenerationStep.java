package org.neurite.analysis.internal.steps;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.eval.GenerationScores;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code eval.generation}: generates for every example (as {@code generate} does, into the same
 * JSONL artifact) and scores the outputs per group: refusal rate by refusal strings, exact match,
 * match of the first generated tokens, numeric answer (GSM8K style) against an answer field.
 */
@Component(service = Step.class)
@NeuriteStep(name = "eval.generation")
public final class EvalGenerationStep implements Step {
  static final List<String> SCORERS = List.of("refusal", "exact", "prefix", "numeric");

  private static final StepSpec SPEC = GenerationLoop.params(StepSpec.named("eval.generation")
      .summary("score generated outputs per group: refusal rate, exact match, first-token match, numeric answer")
      .input("model", LanguageModel.class, "a causal decoder, or an intervened one")
      .input("dataset", Dataset.class, "the prompts, with their answers for exact, prefix and numeric")
      .param(ParamSpec.optional("scorers", ParamType.STRING_LIST, "[\"refusal\"]",
          "which scores: refusal, exact, prefix, numeric"))
      .param(ParamSpec.optional("refusal_strings", ParamType.STRING_LIST, "[]",
          "refusal: the strings that mark a refusal (any case); [] for the default list (docs/generation.md)"))
      .param(ParamSpec.optional("answer", ParamType.STRING, "\"response\"",
          "the answer: response (of prompt/response examples), target (of patching pairs), label, or a kept label"
              + " field"))
      .param(ParamSpec.optional("prefix_tokens", ParamType.INTEGER, "2",
          "prefix: how many first generated tokens must equal the answer's")))
      .output("generations", Path.class, "one JSON line per example, as the generate step writes them")
      .output("scores", Path.class, "per group and scorer: the rate and the number of examples")
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
    List<String> scorers = ((List<String>) context.param("scorers", List.class)).stream()
        .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    if (scorers.isEmpty()) {
      throw Steps.bad(context, "scorers", "is empty; name at least one of " + SCORERS + ".");
    }
    for (String scorer : scorers) {
      if (!SCORERS.contains(scorer)) {
        throw Steps.bad(context, "scorers", "names '" + scorer + "', which is not one of " + SCORERS + ".");
      }
    }
    List<String> given = context.param("refusal_strings", List.class);
    List<String> refusals = given.isEmpty() ? GenerationScores.REFUSAL_STRINGS : given;
    String answerField = context.param("answer", String.class);
    int prefixTokens = (int) Steps.positive(context, "prefix_tokens");
    boolean needsAnswer = scorers.stream().anyMatch(s -> !s.equals("refusal"));
    TextTokenizer tokenizer = scorers.contains("prefix") ? model.tokenizer().orElseThrow(() -> Steps.bad(context,
        "scorers", "names prefix, which tokenizes the answer, and model " + model.name() + " has no tokenizer.json."))
        : null;
    List<GenerationLoop.Row> rows = GenerationLoop.run(context, model, dataset);
    Map<String, Map<String, long[]>> tally = new TreeMap<>();
    for (GenerationLoop.Row row : rows) {
      Example x = row.example().example();
      String output = row.generated().text();
      String answer = needsAnswer ? answer(context, x, answerField) : null;
      String group = row.example().group() == null ? "all" : row.example().group();
      Map<String, long[]> byScorer = tally.computeIfAbsent(group, g -> new LinkedHashMap<>());
      for (String scorer : scorers) {
        boolean hit = switch (scorer) {
          case "refusal" -> GenerationScores.refused(output, refusals);
          case "exact" -> GenerationScores.exact(output, answer);
          case "prefix" -> GenerationScores.prefix(row.generated().outputIds(), tokenizer.encode(answer, false),
              prefixTokens);
          default -> GenerationScores.numeric(output, answer);
        };
        long[] t = byScorer.computeIfAbsent(scorer, s -> new long[2]);
        t[0]++;
        t[1] += hit ? 1 : 0;
      }
    }
    JsonObject groups = new JsonObject();
    tally.forEach((group, byScorer) -> {
      JsonObject entry = new JsonObject();
      byScorer.forEach((scorer, t) -> {
        double rate = (double) t[1] / t[0];
        JsonObject score = new JsonObject();
        score.addProperty("rate", rate);
        score.addProperty("examples", t[0]);
        entry.add(scorer, score);
        context.metric(scorer, group, rate);
      });
      groups.add(group, entry);
    });
    JsonObject out = new JsonObject();
    out.addProperty("model", model instanceof IntervenedModel intervened ? intervened.label() : model.name());
    out.addProperty("options", GenerationLoop.options(context).toString());
    if (scorers.contains("refusal")) {
      out.add("refusal_strings", new Gson().toJsonTree(refusals));
    }
    out.add("groups", groups);
    Path generations = GenerationLoop.write(context, rows);
    Path scores = Steps.writeJson(context, "scores.json", "scores", out);
    return StepResult.of("generations", generations, "scores", scores);
  }

  /** The example's answer by the {@code answer} parameter. */
  private static String answer(StepContext context, Example x, String field) {
    String answer = switch (field) {
      case "response" -> x.completion() == null ? null : x.completion().response();
      case "target" -> x.contrast() == null ? null : x.contrast().answer();
      case "label" -> x.label();
      default -> x.labelOf(field).orElse(null);
    };
    if (answer == null) {
      throw new NeuriteException("Step " + context.stepId() + ": example " + x.id() + " (line " + x.line() + ") has no "
          + field + " to score against; give the dataset step the field (prompt and response, target, label, or keep it"
          + " in labels), or set answer to the field that holds it.");
    }
    return answer;
  }
}
