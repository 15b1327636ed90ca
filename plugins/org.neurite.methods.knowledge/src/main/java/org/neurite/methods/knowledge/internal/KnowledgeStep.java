package org.neurite.methods.knowledge.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.analysis.capture.HookPatterns;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
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
 * {@code neurons.knowledge}: knowledge neurons (Dai et al., ACL 2022) of facts asked by paraphrase
 * prompts: integrated gradients of the answer's probability at the target position (each prompt's
 * last token), the authors' thresholds, the per-relation search of the consensus fraction, and the
 * relation-level neurons. docs/methods/knowledge.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.knowledge")
public final class KnowledgeStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("neurons.knowledge")
      .summary("knowledge neurons (Dai et al. 2022): integrated gradients of the answer's probability, the 0.2 x max"
          + " threshold, the paraphrase consensus with p searched per relation, relation-level neurons")
      .input("model", LanguageModel.class, "a causal language model")
      .input("dataset", Dataset.class, "prompts (the text, ending where the answer comes) with their answer (the"
          + " dataset's target field), the fact they ask (a kept label) and the relation (the group)")
      .param(ParamSpec.optional("hooks", ParamType.STRING_LIST, "[\"blocks.*.mlp.hook_post\"]",
          "the FFN units: the activation entering the output projection (the paper's), every layer"))
      .param(ParamSpec.optional("fact_field", ParamType.STRING, "\"fact\"", "the kept label naming a prompt's fact"))
      .param(ParamSpec.optional("steps", ParamType.INTEGER, "20", "integrated-gradients steps m (the authors' 20)"))
      .param(ParamSpec.optional("riemann", ParamType.STRING, "\"left\"", "left (the authors' k/m, k = 0..m-1) or"
          + " midpoint"))
      .param(ParamSpec.optional("prefilter_ratio", ParamType.NUMBER, "0.1", "units at or above this fraction of a"
          + " prompt's largest attribution are considered"))
      .param(ParamSpec.optional("threshold_ratio", ParamType.NUMBER, "0.2", "of those, units at or above this fraction"
          + " of the largest are kept for the prompt (the paper's t = 0.2)"))
      .param(ParamSpec.optional("p_start", ParamType.NUMBER, "0.7", "the consensus fraction p the search starts at"))
      .param(ParamSpec.optional("p_step", ParamType.NUMBER, "0.05", "how far p moves per try"))
      .param(ParamSpec.optional("p_tries", ParamType.INTEGER, "6", "the most analyses of a relation"))
      .param(ParamSpec.optional("kn_low", ParamType.NUMBER, "2", "fewer knowledge neurons per fact on average lowers p"))
      .param(ParamSpec.optional("kn_high", ParamType.NUMBER, "5", "more raises p"))
      .param(ParamSpec.optional("min_prompts", ParamType.INTEGER, "3", "a unit must be kept by at least this many of a"
          + " fact's prompts"))
      .param(ParamSpec.optional("relation_share", ParamType.NUMBER, "0.1", "a relation's neurons are shared by at"
          + " least this fraction of its facts")))
      .output("neurons", NeuronSet.class, "each relation's neurons (score: how many of its facts have the unit)")
      .output("facts", NeuronSet.class, "each fact's knowledge neurons (group: the fact)")
      .output("scores", UnitScores.class, "the mean attribution of every unit per relation")
      .output("report", Path.class, "knowledge.json: per relation the search (p per try, mean count), per fact its"
          + " neurons, the relation's neurons")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    if (!model.spec().causal() || !model.spec().hasLogits()) {
      throw new NeuriteException(where + ": model " + model.name() + " is not a causal language model with a head;"
          + " knowledge neurons attribute the probability of the next token.");
    }
    List<String> hooks = HookPatterns.expand(model, context.param("hooks", List.class), where);
    String factField = context.param("fact_field", String.class);
    int steps = (int) StepParams.atLeast(context, "steps", 1);
    Attributions.Riemann rule = riemann(context);
    Target target = Target.probability(Target.answerLogProb(model.tokenizer().orElseThrow(() -> new NeuriteException(
        where + ": model " + model.name() + " has no tokenizer, which is needed to encode each answer.")), where));
    Attributions attributions = new Attributions(context.backend(), context.device());
    List<KnowledgeNeurons.Prompt> prompts = new ArrayList<>();
    DatasetLoop.run(context, model, dataset, "integrated gradients", batch -> {
      List<Map<String, double[]>> perExample = new ArrayList<>();
      batch.examples().forEach(x -> perExample.add(new LinkedHashMap<>()));
      for (String hook : hooks) {
        double[][] scores = attributions.integratedGradients(model, batch, hook, target, Positions.LAST, steps, null,
            rule).scores();
        for (int i = 0; i < scores.length; i++) {
          perExample.get(i).put(hook, scores[i]);
        }
      }
      for (int i = 0; i < perExample.size(); i++) {
        TokenizedExample x = batch.examples().get(i);
        prompts.add(new KnowledgeNeurons.Prompt(x.example().id(), x.example().labelOf(factField).orElseThrow(() ->
            new NeuriteException(where + ": example " + x.example().id() + " (line " + x.example().line() + ") has no"
                + " label '" + factField + "'; keep the fact field in the dataset step (labels: [\"" + factField
                + "\"]) or set fact_field.")), x.group(), perExample.get(i)));
      }
    });
    KnowledgeNeurons.Options options = new KnowledgeNeurons.Options(context.param("prefilter_ratio", Double.class),
        context.param("threshold_ratio", Double.class), context.param("p_start", Double.class),
        context.param("p_step", Double.class), (int) StepParams.atLeast(context, "p_tries", 1),
        context.param("kn_low", Double.class), context.param("kn_high", Double.class),
        (int) context.param("min_prompts", Long.class).longValue(), context.param("relation_share", Double.class));
    List<KnowledgeNeurons.Relation> relations = KnowledgeNeurons.select(prompts, options, where);
    for (KnowledgeNeurons.Relation r : relations) {
      context.metric("p", r.name(), r.search().p());
      context.metric("knowledge_neurons_per_fact", r.name(), r.search().meanKept());
      context.metric("relation_neurons", r.name(), r.neurons().size());
    }
    Path report = context.artifacts().write("knowledge.json", "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().create().toJson(report(options, steps, rule, relations)),
        StandardCharsets.UTF_8));
    return StepResult.of("neurons", KnowledgeNeurons.relationNeurons(context.stepId(), relations),
        "facts", KnowledgeNeurons.factNeurons(context.stepId() + ".facts", relations),
        "scores", meanPerRelation(prompts, hooks), "report", report);
  }

  private static Attributions.Riemann riemann(StepContext context) {
    String name = context.param("riemann", String.class).toUpperCase(Locale.ROOT);
    try {
      return Attributions.Riemann.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new NeuriteException("Step " + context.stepId() + ": riemann '" + name.toLowerCase(Locale.ROOT) + "' is not"
          + " one of left, midpoint.");
    }
  }

  private static UnitScores meanPerRelation(List<KnowledgeNeurons.Prompt> prompts, List<String> hooks) {
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (KnowledgeNeurons.Prompt p : prompts) {
      counts.merge(p.relation(), 1, Integer::sum);
    }
    for (String hook : hooks) {
      Map<String, float[]> byRelation = new LinkedHashMap<>();
      for (KnowledgeNeurons.Prompt p : prompts) {
        double[] a = p.attributions().get(hook);
        float[] sum = byRelation.computeIfAbsent(p.relation(), r -> new float[a.length]);
        for (int u = 0; u < a.length; u++) {
          sum[u] += (float) (a[u] / counts.get(p.relation()));
        }
      }
      scores.put(hook, byRelation);
    }
    return new UnitScores("integrated_gradients/answer_probability", scores);
  }

  private static JsonObject report(KnowledgeNeurons.Options options, int steps, Attributions.Riemann rule,
      List<KnowledgeNeurons.Relation> relations) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "knowledge neurons (integrated gradients of the answer probability)");
    json.addProperty("steps", steps);
    json.addProperty("riemann", rule.name().toLowerCase(Locale.ROOT));
    json.addProperty("prefilter_ratio", options.prefilter());
    json.addProperty("threshold_ratio", options.threshold());
    json.addProperty("min_prompts", options.minimumPrompts());
    json.addProperty("relation_share", options.relationShare());
    JsonObject byRelation = new JsonObject();
    for (KnowledgeNeurons.Relation r : relations) {
      JsonObject o = new JsonObject();
      o.addProperty("p", r.search().p());
      JsonArray tries = new JsonArray();
      for (double[] t : r.search().tries()) {
        JsonObject tr = new JsonObject();
        tr.addProperty("p", t[0]);
        tr.addProperty("mean_knowledge_neurons", t[1]);
        tries.add(tr);
      }
      o.add("tries", tries);
      JsonObject facts = new JsonObject();
      for (int f = 0; f < r.facts().size(); f++) {
        facts.add(r.facts().get(f), units(r.search().kept().get(f)));
      }
      o.add("facts", facts);
      o.add("relation_neurons", units(r.neurons()));
      byRelation.add(r.name(), o);
    }
    json.add("relations", byRelation);
    return json;
  }

  private static JsonArray units(List<Unit> units) {
    JsonArray a = new JsonArray();
    for (Unit u : units) {
      JsonObject o = new JsonObject();
      o.addProperty("hook", u.hook());
      o.addProperty("index", u.index());
      a.add(o);
    }
    return a;
  }
}
