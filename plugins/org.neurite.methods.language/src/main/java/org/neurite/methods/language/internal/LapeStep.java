package org.neurite.methods.language.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * {@code neurons.lape}: language-specific neurons by LAPE (Tang et al., ACL 2024), from the
 * per-language statistics of a {@code stats.units} step. docs/methods/lape.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.lape")
public final class LapeStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("neurons.lape")
      .summary("language-specific neurons by LAPE (Tang et al. 2024): lowest entropy of per-language activation"
          + " probability, each assigned to the languages above the activation bar")
      .input("stats", Path.class, "the manifest of a stats.units step over the MLP activations, grouped by language"
          + " (LAPE: hooks blocks.*.mlp.hook_pre with active_above 0, i.e. SiLU(gate) > 0)")
      .param(ParamSpec.optional("top_rate", ParamType.NUMBER, "0.01", "the fraction of all units kept, lowest entropy"
          + " first (the paper's top 1%)"))
      .param(ParamSpec.optional("filter_rate", ParamType.NUMBER, "0.95", "a unit none of whose languages has an"
          + " activation probability above this quantile of all probabilities is passed over"))
      .param(ParamSpec.optional("activation_bar_ratio", ParamType.NUMBER, "0.95", "a selected unit belongs to every"
          + " language whose probability is above this quantile of all probabilities"))
      .output("neurons", NeuronSet.class, "the selected units, one member per language they belong to (score: the"
          + " activation probability in it)")
      .output("scores", UnitScores.class, "every unit's negated entropy after the filter (-inf: filtered), group all")
      .output("probabilities", UnitScores.class, "every unit's activation probability per language")
      .output("report", Path.class, "lape.json: the bars, the selected units with their entropies, counts per language"
          + " and layer")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    LanguageProbabilities p = LanguageProbabilities.ofInput(context);
    Lape.Options options = new Lape.Options(context.param("top_rate", Double.class),
        context.param("filter_rate", Double.class), context.param("activation_bar_ratio", Double.class));
    Lape.Result result = Lape.run(p, options, where);
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    result.entropy().forEach((hook, h) -> {
      float[] negated = new float[h.length];
      for (int u = 0; u < h.length; u++) {
        negated[u] = (float) -h[u];
      }
      scores.put(hook, Map.of("all", negated));
    });
    context.metric("filter_value", "", result.filterValue());
    context.metric("activation_bar", "", result.activationBar());
    context.metric("selected", "", result.selected().size());
    for (String language : p.languages()) {
      context.metric("units", language, result.neurons().units(language).size());
    }
    Path report = LanguageProbabilities.writeReport(context, "lape.json", report(p, options, result));
    return StepResult.of("neurons", result.neurons(), "scores", new UnitScores("lape_negated_entropy", scores),
        "probabilities", p.asScores(), "report", report);
  }

  private static JsonObject report(LanguageProbabilities p, Lape.Options options, Lape.Result result) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "lape");
    json.addProperty("top_rate", options.topRate());
    json.addProperty("filter_rate", options.filterRate());
    json.addProperty("activation_bar_ratio", options.barRatio());
    json.addProperty("filter_value", result.filterValue());
    json.addProperty("activation_bar", result.activationBar());
    JsonArray selected = new JsonArray();
    for (var unit : result.selected()) {
      JsonObject u = new JsonObject();
      u.addProperty("hook", unit.hook());
      u.addProperty("index", unit.index());
      u.addProperty("entropy", result.entropy().get(unit.hook())[unit.index()]);
      JsonArray languages = new JsonArray();
      result.neurons().members().stream().filter(m -> m.unit().equals(unit)).forEach(m -> languages.add(m.group()));
      u.add("languages", languages);
      selected.add(u);
    }
    json.add("selected", selected);
    JsonObject perLanguage = new JsonObject();
    for (String language : p.languages()) {
      JsonObject perHook = new JsonObject();
      result.neurons().perHookCounts(language).forEach(perHook::addProperty);
      perLanguage.add(language, perHook);
    }
    json.add("per_language", perLanguage);
    return json;
  }
}
