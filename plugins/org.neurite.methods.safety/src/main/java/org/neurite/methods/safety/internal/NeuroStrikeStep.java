package org.neurite.methods.safety.internal;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.capture.HookPatterns;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.contrast.ProbeFit;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.analysis.contrast.ProbeSolver;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
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
 * {@code neurons.neurostrike}: safety neurons by NeuroStrike's white-box probe (Wu et al., NDSS
 * 2026): max-pooled gate_proj and up_proj outputs of harmful and harmless prompts, a logistic probe
 * per module, {@code |z(w)| > 3} and {@code w > 0}; and the layer-prefix sets its pruning sweep
 * ablates. docs/methods/neurostrike.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.neurostrike")
public final class NeuroStrikeStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("neurons.neurostrike")
      .summary("safety neurons (NeuroStrike, Wu et al. 2026): a logistic probe per gate/up module on max-pooled"
          + " activations of harmful vs harmless prompts; units with |z(w)| > 3 and w > 0; layer-prefix sets")
      .input("model", LanguageModel.class, "a causal decoder with a gated MLP (gate_proj and up_proj)")
      .input("dataset", Dataset.class, "harmful and harmless prompts (the authors wrap them in the chat template:"
          + " the dataset step's chat parameter), with a label field naming the class")
      .param(ParamSpec.optional("group_by", ParamType.STRING, "\"label\"", "the field holding the class: label (the"
          + " dataset's label field), group, or a kept label field"))
      .param(ParamSpec.optional("positive", ParamType.STRING, "\"true\"", "the class field's value of a harmful prompt"
          + " (label 1); a JSON true reads as \"true\""))
      .param(ParamSpec.optional("negative", ParamType.STRING, "\"false\"", "the class field's value of a harmless"
          + " prompt (label 0)"))
      .param(ParamSpec.optional("hooks", ParamType.STRING_LIST,
          "[\"blocks.*.mlp.hook_pre\",\"blocks.*.mlp.hook_pre_linear\"]", "the modules, one probe each: hook_pre is"
          + " gate_proj's output, hook_pre_linear up_proj's (the authors': both, every layer)"))
      .param(ParamSpec.optional("positions", ParamType.STRING, "\"all\"", "which tokens are pooled: all, last, first,"
          + " prompt, response"))
      .param(ParamSpec.optional("pooling", ParamType.STRING, "\"max_with_padding\"", "one row per prompt:"
          + " max_with_padding (the authors': the max over every position of the padded batch, so it depends on the"
          + " batch), max (over the prompt's own tokens), mean or last"))
      .param(ParamSpec.optional("batch_size", ParamType.INTEGER, "32", "prompts per forward pass (the authors' 32);"
          + " with max_with_padding it changes the padding and so the values"))
      .param(DatasetLoop.MAX_TOKENS)
      .param(ParamSpec.optional("z_threshold", ParamType.NUMBER, "3", "keep units with |z(w)| above this (the"
          + " authors' safe_neuron_threshold 3)"))
      .param(ParamSpec.optional("positive_only", ParamType.BOOLEAN, "true", "keep only w > 0 (the authors' rule);"
          + " false keeps either sign"))
      .param(ParamSpec.optional("epochs", ParamType.INTEGER, "5000", "the probe's full-batch Adam epochs (the"
          + " authors' 5000)"))
      .param(ParamSpec.optional("learning_rate", ParamType.NUMBER, "0.001", "Adam's lr (the authors' 1e-3)"))
      .param(ParamSpec.optional("weight_decay", ParamType.NUMBER, "0.001", "Adam's weight_decay: λ·θ added to the"
          + " gradient of weights and bias (the authors' 1e-3)"))
      .param(ParamSpec.optional("standardize", ParamType.BOOLEAN, "false", "scale each unit to mean 0, std 1 before"
          + " the probe (the authors do not)"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "1234", "the seed of the probe's initial weights (the"
          + " authors' torch.manual_seed(1234); Java draws other numbers)"))
      .param(ParamSpec.optional("prefix_percents", ParamType.INTEGER_LIST, "[25,50,75,100]", "one prefix set per"
          + " entry: the safety neurons of layers 0..min(floor(p·L/100), L-1) (the authors' pruning sweep)"))
      .output("neurons", NeuronSet.class, "the safety neurons, group safety (score: the probe weight w)")
      .output("weights", UnitScores.class, "every unit's probe weight, statistic probe_weight, group safety")
      .output("prefixes", NeuronSet.class, "one group per prefix (layers_25, layers_50, ...): the safety neurons of"
          + " the first layers, for eval.ablation")
      .output("report", Path.class, "neurostrike.json: the parameters, per module the probe's fit and the units"
          + " kept, per layer and per prefix the counts")
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
    if (!model.spec().causal()) {
      throw new NeuriteException(where + ": " + model.name() + " is an encoder; NeuroStrike probes a causal decoder's"
          + " gated MLP.");
    }
    List<String> hooks = HookPatterns.expand(model, context.param("hooks", List.class), where);
    PooledFeatures pooled = new PooledFeatures(model, hooks,
        Positions.parse(context.param("positions", String.class), where),
        Pooling.parse(context.param("pooling", String.class), where), context.param("group_by", String.class),
        context.param("positive", String.class), context.param("negative", String.class), where);
    NeuroStrike.Options options = options(context, where);
    NeuroStrike.Result result;
    try (NDManager scope = context.backend().newScope(context.device())) {
      DatasetLoop.run(context, model, dataset, "pooling", batch -> pooled.add(batch, scope));
      NeuroStrike.Features features = pooled.features();
      int positives = 0;
      for (boolean h : features.harmful()) {
        positives += h ? 1 : 0;
      }
      context.metric("prompts", "harmful", positives);
      context.metric("prompts", "harmless", features.harmful().length - positives);
      result = NeuroStrike.run(features, options, model.spec().layers(), null, scope, where);
    }
    Map<Integer, Integer> perLayer = perLayer(result.neurons());
    perLayer.forEach((layer, n) -> context.metric("units.layer", Integer.toString(layer), n));
    context.metric("units", options.group(), result.neurons().members().size());
    for (int p : options.prefixPercents()) {
      context.metric("units.prefix", "layers_" + p, result.prefixes().units("layers_" + p).size());
    }
    JsonObject report = report(context, options, result, perLayer, model.spec().layers());
    Path file = context.artifacts().write("neurostrike.json", "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().create().toJson(report), StandardCharsets.UTF_8));
    return StepResult.of("neurons", result.neurons(), "weights", result.weights(), "prefixes", result.prefixes(),
        "report", file);
  }

  @SuppressWarnings("unchecked")
  private static NeuroStrike.Options options(StepContext context, String where) {
    long epochs = context.param("epochs", Long.class);
    if (epochs < 1 || epochs > Integer.MAX_VALUE) {
      throw new NeuriteException(where + ": epochs is " + epochs + "; give 1 or more (the authors' 5000).");
    }
    double lr = context.param("learning_rate", Double.class);
    if (!(lr > 0)) {
      throw new NeuriteException(where + ": learning_rate is " + lr + "; give a value > 0 (the authors' 0.001).");
    }
    ProbeOptions probe = new ProbeOptions(context.param("weight_decay", Double.class),
        context.param("standardize", Boolean.class), ProbeSolver.ADAM, (int) epochs, 1e-8, lr,
        context.param("seed", Long.class));
    List<Integer> percents = ((List<Number>) context.param("prefix_percents", List.class)).stream()
        .map(Number::intValue).toList();
    return new NeuroStrike.Options(probe, context.param("z_threshold", Double.class),
        context.param("positive_only", Boolean.class), percents, "safety");
  }

  private static Map<Integer, Integer> perLayer(NeuronSet neurons) {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (NeuronSet.Member m : neurons.members()) {
      counts.merge(m.unit().layer(), 1, Integer::sum);
    }
    return counts;
  }

  private static JsonObject report(StepContext context, NeuroStrike.Options o, NeuroStrike.Result result,
      Map<Integer, Integer> perLayer, int layers) {
    JsonObject json = new JsonObject();
    json.addProperty("method", "neurostrike");
    json.addProperty("pooling", context.param("pooling", String.class));
    json.addProperty("positions", context.param("positions", String.class));
    json.addProperty("batch_size", context.param("batch_size", Long.class));
    json.addProperty("z_threshold", o.zThreshold());
    json.addProperty("positive_only", o.positiveOnly());
    json.addProperty("probe", o.probe().toString());
    json.addProperty("units", result.neurons().members().size());
    JsonObject modules = new JsonObject();
    result.fits().forEach((hook, fit) -> modules.add(hook, module(hook, fit, result)));
    json.add("modules", modules);
    JsonObject byLayer = new JsonObject();
    perLayer.forEach((layer, n) -> byLayer.addProperty(Integer.toString(layer), n));
    json.add("per_layer", byLayer);
    JsonObject prefixes = new JsonObject();
    for (int p : o.prefixPercents()) {
      JsonObject prefix = new JsonObject();
      prefix.addProperty("last_layer", NeuroStrike.lastLayer(p, layers));
      prefix.addProperty("units", result.prefixes().units("layers_" + p).size());
      prefixes.add("layers_" + p, prefix);
    }
    json.add("prefixes", prefixes);
    return json;
  }

  private static JsonObject module(String hook, ProbeFit fit, NeuroStrike.Result result) {
    JsonObject m = new JsonObject();
    m.addProperty("bias", fit.bias());
    m.addProperty("loss", fit.loss());
    m.addProperty("epochs", fit.iterations());
    JsonArray kept = new JsonArray();
    double[] z = result.zScores().get(hook);
    double[] w = fit.weights();
    for (NeuronSet.Member member : result.neurons().members()) {
      if (member.unit().hook().equals(hook)) {
        JsonObject u = new JsonObject();
        u.addProperty("index", member.unit().index());
        u.addProperty("w", w[member.unit().index()]);
        u.addProperty("z", z[member.unit().index()]);
        kept.add(u);
      }
    }
    m.add("kept", kept);
    return m;
  }
}
