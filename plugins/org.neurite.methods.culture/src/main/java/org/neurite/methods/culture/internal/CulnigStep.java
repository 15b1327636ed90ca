package org.neurite.methods.culture.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code neurons.culnig}: culture-general and culture-specific neurons by CULNIG (Yamamoto et al.,
 * ICLR 2026), from the gradient x activation scores of BLEnD, its control set and CountryRC.
 * docs/methods/culnig.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.culnig")
public final class CulnigStep implements Step {
  private static final String SCORED = "an attribute step's scores (method grad_x_act, target answer, pooling max,"
      + " weight_by_probability true, normalise dataset, group_by the country) at blocks.*.mlp.hook_pre and"
      + " blocks.*.attn.hook_q/k/v";
  private static final StepSpec SPEC = StepSpec.named("neurons.culnig")
      .summary("culture-general and culture-specific neurons by CULNIG (Yamamoto et al. 2026): BLEnD minus control"
          + " grad x act scores, top rates per module type, less CountryRC's country-name units, z-score filter")
      .input("blend", UnitScores.class, "BLEnD multiple-choice questions: " + SCORED)
      .input("control", UnitScores.class, "BLEnD-control (the options without the question): " + SCORED
          + ", with clip_negative true")
      .input("countryrc", UnitScores.class, "CountryRC reading comprehension (the answer is the country named): "
          + SCORED)
      .param(ParamSpec.optional("mlp_rate", ParamType.NUMBER, "0.01", "t for MLP: the culture-general fraction of"
          + " gate_proj units (MLP_CULTURE_NEURON_PROPORTION)"))
      .param(ParamSpec.optional("attention_rate", ParamType.NUMBER, "0.002", "t for attention: the culture-general"
          + " fraction of q/k/v units, ranked together (ATTENTION_CULTURE_NEURON_PROPORTION)"))
      .param(ParamSpec.optional("countryrc_mlp_rate", ParamType.NUMBER, "0.01", "r for MLP: CountryRC's top gate_proj"
          + " fraction removed from the culture-general set (MLP_COUNTRYRC_NEURON_PROPORTION)"))
      .param(ParamSpec.optional("countryrc_attention_rate", ParamType.NUMBER, "0.01", "r for attention: CountryRC's top"
          + " q/k/v fraction removed from the culture-general set (ATTENTION_COUNTRYRC_NEURON_PROPORTION)"))
      .param(ParamSpec.optional("country_rate", ParamType.NUMBER, "0.003", "the culture-specific fraction per country,"
          + " gate_proj and q/k/v ranked together (MLP_COUNTRY_NEURON_PROPORTION)"))
      .param(ParamSpec.optional("country_countryrc_rate", ParamType.NUMBER, "0.01", "the country's top CountryRC"
          + " fraction removed from its set (MLP_COUNTRYRC_NEURON_PROPORTION of the culture-specific script)"))
      .param(ParamSpec.optional("zscore_threshold", ParamType.NUMBER, "0.5", "a culture-specific unit is kept if the"
          + " z-score of its country's score over every country is at least this (COUNTRY_SCORE_ZSCORE_THRESHOLD)"))
      .param(ParamSpec.optional("countries", ParamType.STRING_LIST, "[]", "the countries given a culture-specific set;"
          + " [] for every BLEnD country (the authors: their 8 CountryRC countries)"))
      .output("neurons", NeuronSet.class, "the units: group general, and one group per country (score: S or S_c)")
      .output("scores", UnitScores.class, "S (group general) and S_c (a group per country) of every gate_proj and"
          + " q/k/v unit")
      .output("report", Path.class, "culnig.json: the parameters, the units per group and hook point, and how many"
          + " CountryRC and the z-score filter removed")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    CulnigScores scores = CulnigScores.of(context.input("blend", UnitScores.class),
        context.input("control", UnitScores.class), context.input("countryrc", UnitScores.class), where);
    Culnig.Options options = new Culnig.Options(context.param("mlp_rate", Double.class),
        context.param("attention_rate", Double.class), context.param("countryrc_mlp_rate", Double.class),
        context.param("countryrc_attention_rate", Double.class), context.param("country_rate", Double.class),
        context.param("country_countryrc_rate", Double.class), context.param("zscore_threshold", Double.class),
        List.copyOf((List<String>) context.param("countries", List.class)));
    Culnig.Result result = Culnig.run(scores, options, where);
    for (String group : result.excluded().keySet()) {
      if (!group.startsWith("zscore:")) {
        context.metric("units", group, result.neurons().units(group).size());
      }
    }
    result.excluded().forEach((group, n) -> context.metric(group.startsWith("zscore:") ? "zscore_removed"
        : "countryrc_removed", group.replace("zscore:", ""), n));
    JsonObject report = report(options, result);
    Path file = context.artifacts().write("culnig.json", "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().create().toJson(report), StandardCharsets.UTF_8));
    return StepResult.of("neurons", result.neurons(), "scores", result.scores(), "report", file);
  }

  private static JsonObject report(Culnig.Options o, Culnig.Result result) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "culnig");
    json.addProperty("mlp_rate", o.mlpRate());
    json.addProperty("attention_rate", o.attentionRate());
    json.addProperty("countryrc_mlp_rate", o.countryRcMlpRate());
    json.addProperty("countryrc_attention_rate", o.countryRcAttentionRate());
    json.addProperty("country_rate", o.countryRate());
    json.addProperty("country_countryrc_rate", o.countryCountryRcRate());
    json.addProperty("zscore_threshold", o.zscoreThreshold());
    JsonObject groups = new JsonObject();
    for (String group : result.excluded().keySet().stream().filter(g -> !g.startsWith("zscore:")).toList()) {
      JsonObject g = new JsonObject();
      g.addProperty("units", result.neurons().units(group).size());
      JsonObject perHook = new JsonObject();
      result.neurons().perHookCounts(group).forEach(perHook::addProperty);
      g.add("per_hook", perHook);
      g.addProperty("countryrc_removed", result.excluded().get(group));
      if (result.excluded().containsKey("zscore:" + group)) {
        g.addProperty("zscore_removed", result.excluded().get("zscore:" + group));
      }
      JsonArray units = new JsonArray();
      for (NeuronSet.Member m : result.neurons().group(group).members()) {
        JsonObject u = new JsonObject();
        u.addProperty("hook", m.unit().hook());
        u.addProperty("index", m.unit().index());
        u.addProperty("score", m.score());
        units.add(u);
      }
      g.add("members", units);
      groups.add(group, g);
    }
    json.add("groups", groups);
    return json;
  }
}
