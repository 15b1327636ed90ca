package org.neurite.methods.unlearning.internal;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.intervene.RandomControl;
import org.neurite.analysis.intervene.RemapTable;
import org.neurite.analysis.select.Selection;
import org.neurite.analysis.stats.StatsFiles;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code neurons.neuron_adjust}: Neuron Adjust (skill unlearning, METHODS.md A3) from the per-skill
 * statistics of a {@code stats.units} step: the selected units, the remap table, and the model with
 * the Gaussian remap on them beside the same remap on a same-size random control.
 * docs/methods/skill-unlearning.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.neuron_adjust")
public final class NeuronAdjustStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("neurons.neuron_adjust")
      .summary("skill neurons by Neuron Adjust (skill unlearning, NAACL 2025): top p% of forget - retain mean, remapped"
          + " onto the retain distribution")
      .input("model", LanguageModel.class, "the model the statistics were taken on")
      .input("stats", Path.class, "the manifest of a stats.units step at blocks.*.mlp.hook_pre, grouped by skill")
      .param(ParamSpec.optional("forget", ParamType.STRING, "\"arithmetic\"", "the skill to forget (a group)"))
      .param(ParamSpec.optional("retain", ParamType.STRING_LIST, "[]", "the skills to keep, pooled; [] = every other"))
      .param(ParamSpec.optional("top_rate", ParamType.NUMBER, "0.03",
          "p: the fraction of all units at or above the threshold (the paper's 3%; 0.005 for languages)"))
      .param(ParamSpec.optional("faithful_to_code", ParamType.BOOLEAN, "false", "the remap as the authors' code runs"
          + " it: sigma_f = the forget mean, sigma_r = the variance field, one U per sequence and forward pass"))
      .param(ParamSpec.optional("positions", ParamType.STRING, "\"all\"", "where the remap acts: all, last, first,"
          + " response or prompt tokens"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "1", "the seed of the uniforms and of the random control"))
      .output("neurons", NeuronSet.class, "the selected units, group = the forget skill (score: delta)")
      .output("scores", UnitScores.class, "every unit's delta = mu_forget - mu_retain, group = the forget skill")
      .output("table", Path.class, "remap.json: mu and variance of forget and retain for every unit")
      .output("model", IntervenedModel.class, "the model with the remap on the selected units")
      .output("control", IntervenedModel.class, "the model with the remap on random units, same counts per hook point")
      .output("report", Path.class, "neuron_adjust.json: threshold, counts per hook point, the selected units")
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
    String forget = context.param("forget", String.class);
    List<String> retain = context.param("retain", List.class);
    double rate = context.param("top_rate", Double.class);
    boolean faithful = context.param("faithful_to_code", Boolean.class);
    long seed = context.param("seed", Long.class);
    Positions positions = Positions.parse(context.param("positions", String.class), where);
    NeuronAdjust.Result result = NeuronAdjust.run(StatsFiles.readManifest(context.input("stats", Path.class), where),
        forget, retain, rate, where);
    Map<String, int[]> units = Selection.byHook(result.neurons(), forget);
    Map<String, int[]> control = RandomControl.draw(units, model.spec(), seed);
    Path table = context.artifacts().write("remap.json", "remap-table", t -> result.table().write(t));
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    result.delta().forEach((hook, d) -> {
      float[] f = new float[d.length];
      for (int u = 0; u < d.length; u++) {
        f[u] = (float) d[u];
      }
      scores.put(hook, Map.of(forget, f));
    });
    int count = result.neurons().units(forget).size();
    context.metric("threshold", "", result.threshold());
    context.metric("units", forget, count);
    context.metric("control.seed", "", seed);
    JsonObject report = new JsonObject();
    report.addProperty("method", "neuron_adjust");
    report.addProperty("forget", forget);
    report.addProperty("top_rate", rate);
    report.addProperty("threshold", result.threshold());
    report.addProperty("selected", count);
    report.addProperty("faithful_to_code", faithful);
    JsonObject perHook = new JsonObject();
    result.neurons().perHookCounts(forget).forEach(perHook::addProperty);
    report.add("per_hook", perHook);
    Path reportFile = Reports.write(context, "neuron_adjust.json", report);
    return StepResult.of("neurons", result.neurons(), "scores", new UnitScores("delta_mean", scores), "table", table,
        "model", new IntervenedModel(model, remaps(units, result.table(), faithful, seed, positions, where),
            "neuron_adjust " + forget),
        "control", new IntervenedModel(model, remaps(control, result.table(), faithful, seed, positions, where),
            "control neuron_adjust " + forget + " (seed " + seed + ")"),
        "report", reportFile);
  }

  /** One remap intervention per hook point, each with that hook point's statistics. */
  static List<Intervention> remaps(Map<String, int[]> units, RemapTable table, boolean faithful, long seed,
      Positions positions, String where) {
    List<Intervention> out = new ArrayList<>();
    units.forEach((hook, u) -> {
      RemapTable.Site site = table.site(hook, where);
      double[][] sigmas = site.sigmas(faithful);
      out.add(new Intervention(hook, u, new Operation.Remap(site.muRetain(), sigmas[1], site.muForget(), sigmas[0], seed,
          faithful), positions));
    });
    return out;
  }
}
