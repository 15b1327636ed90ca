package org.neurite.methods.unlearning.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code neurons.ksd}: Key Space Detection (skill unlearning, METHODS.md A3). The last-token key
 * vectors (the input of the last layer's down projection, {@code blocks.{L-1}.mlp.hook_post}) of the
 * forget skill's probe queries give a hypercube; the model abstains during generation whenever the
 * last position falls inside {@code μ ± α·k*·σ}. Beside it, a control: the hypercube of as many
 * probe queries drawn at random from every skill. docs/methods/skill-unlearning.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "neurons.ksd")
public final class KsdStep implements Step {
  static final String TEXT = "Sorry, your query is not valid";

  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("neurons.ksd")
      .summary("Key Space Detection (skill unlearning, NAACL 2025): a hypercube over the forget skill's last-token keys;"
          + " abstain when a query falls inside it")
      .input("model", LanguageModel.class, "a causal decoder")
      .input("dataset", Dataset.class, "the probe queries (the text up to the answer), grouped by skill")
      .param(ParamSpec.optional("forget", ParamType.STRING, "\"arithmetic\"", "the skill to forget (a group)"))
      .param(ParamSpec.optional("hook", ParamType.STRING, "\"\"",
          "where the keys are read; \"\" = blocks.{L-1}.mlp.hook_post, the last layer's down_proj input"))
      .param(ParamSpec.optional("alpha", ParamType.NUMBER, "0.06", "alpha: the box is mu +- alpha k* sigma (the code's"
          + " default 0.06; the paper's 2 to forget GSM8K, 1.4 to forget MBPP)"))
      .param(ParamSpec.optional("text", ParamType.STRING, "\"" + TEXT + "\"", "what an abstained query answers"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "1", "the seed of the random control's probe queries")))
      .output("scores", UnitScores.class, "per key dimension and skill, the mean |x - mu| / sigma of the skill's"
          + " queries: which dimensions set the other skills apart from the forget box")
      .output("hypercube", Path.class, "ksd.json: hook, mu, sigma, k*, alpha, and which queries each box flags")
      .output("model", IntervenedModel.class, "the model abstaining inside the forget skill's box")
      .output("control", IntervenedModel.class, "the model abstaining inside the random queries' box")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  private record Probe(String group, double[] key) {}

  @Override
  public StepResult run(StepContext context) throws Exception {
    String where = "Step " + context.stepId();
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    String forget = context.param("forget", String.class);
    double alpha = context.param("alpha", Double.class);
    String text = context.param("text", String.class);
    long seed = context.param("seed", Long.class);
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new NeuriteException(where + ": alpha is " + alpha + "; give a positive multiplier, e.g. 0.06 (the code's"
          + " default) or 2 (the paper's GSM8K).");
    }
    if (!model.spec().causal()) {
      throw new NeuriteException(where + ": Key Space Detection abstains during generation and needs a causal decoder;"
          + " " + model.name() + " is a " + model.spec().family() + " encoder.");
    }
    String given = context.param("hook", String.class);
    String hook = given.isEmpty() ? "blocks." + (model.spec().layers() - 1) + ".mlp.hook_post" : given;
    if (model.spec().hookPoint(hook).isEmpty()) {
      throw new NeuriteException(where + ": hook " + hook + " is not a hook point of " + model.name() + "; give a single"
          + " hook point such as blocks." + (model.spec().layers() - 1) + ".mlp.hook_post.");
    }
    List<Probe> probes = probes(context, model, dataset, hook);
    List<double[]> forgotten = probes.stream().filter(p -> p.group().equals(forget)).map(Probe::key).toList();
    if (forgotten.isEmpty()) {
      throw new NeuriteException(where + ": no probe query has skill '" + forget + "' (the skills are "
          + new java.util.TreeSet<>(probes.stream().map(Probe::group).toList()) + "); give forget one of them, and"
          + " group_by the dataset's skill field.");
    }
    KeySpace box = KeySpace.of(forgotten, where);
    List<Probe> shuffled = new ArrayList<>(probes);
    java.util.Collections.shuffle(shuffled, new java.util.Random(new SplittableRandom(seed).nextLong()));
    KeySpace controlBox = KeySpace.of(shuffled.subList(0, forgotten.size()).stream().map(Probe::key).toList(), where);
    context.metric("k", "", box.k());
    context.metric("control.k", "", controlBox.k());
    context.metric("control.seed", "", seed);
    JsonObject json = new JsonObject();
    json.addProperty("method", "ksd");
    json.addProperty("hook", hook);
    json.addProperty("forget", forget);
    json.addProperty("probes", box.probes());
    json.addProperty("k", box.k());
    json.addProperty("alpha", alpha);
    Gson gson = new Gson();
    json.add("mu", gson.toJsonTree(box.mu()));
    json.add("sigma", gson.toJsonTree(box.sigma()));
    json.add("flagged", flagged(context, probes, box, alpha, ""));
    json.addProperty("control_k", controlBox.k());
    json.add("control_flagged", flagged(context, probes, controlBox, alpha, "control."));
    json.addProperty("seed", seed);
    Path file = Reports.write(context, "ksd.json", json);
    return StepResult.of("scores", distances(probes, box, hook), "hypercube", file,
        "model", new IntervenedModel(model, List.of(), List.of(box.abstention(hook, alpha, text)), "ksd " + forget),
        "control", new IntervenedModel(model, List.of(), List.of(controlBox.abstention(hook, alpha, text)),
            "control ksd " + forget + " (seed " + seed + ")"));
  }

  /** Per skill and dimension, the mean of {@code |x − μ|/σ} over the skill's queries (0 where σ is 0). */
  private static UnitScores distances(List<Probe> probes, KeySpace box, String hook) {
    Map<String, double[]> sums = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (Probe p : probes) {
      double[] sum = sums.computeIfAbsent(p.group(), g -> new double[box.mu().length]);
      counts.merge(p.group(), 1, Integer::sum);
      for (int j = 0; j < sum.length; j++) {
        sum[j] += box.sigma()[j] > 0 ? Math.abs(p.key()[j] - box.mu()[j]) / box.sigma()[j] : 0;
      }
    }
    Map<String, float[]> byGroup = new java.util.LinkedHashMap<>();
    sums.forEach((g, sum) -> {
      float[] f = new float[sum.length];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) (sum[j] / counts.get(g));
      }
      byGroup.put(g, f);
    });
    return new UnitScores("ksd_distance_in_sigma", Map.of(hook, byGroup));
  }

  /** The fraction of each skill's probe queries inside the box at their last token. */
  private static JsonObject flagged(StepContext context, List<Probe> probes, KeySpace box, double alpha, String prefix) {
    Map<String, long[]> counts = new TreeMap<>();
    for (Probe p : probes) {
      long[] c = counts.computeIfAbsent(p.group(), g -> new long[2]);
      c[0]++;
      c[1] += box.flags(p.key(), alpha) ? 1 : 0;
    }
    JsonObject out = new JsonObject();
    counts.forEach((g, c) -> {
      out.addProperty(g, (double) c[1] / c[0]);
      context.metric(prefix + "flagged", g, (double) c[1] / c[0]);
    });
    return out;
  }

  /**
   * Every example's key at the last token of its query: the prompt of a prompt/response example (the
   * text up to the answer), else the whole text. Prompts are left-padded, so positions count from the
   * first real token.
   */
  private static List<Probe> probes(StepContext context, LanguageModel model, Dataset dataset, String hook) {
    List<Probe> out = new ArrayList<>();
    DatasetLoop.run(context, model, dataset, "ksd probes", batch -> {
      try (NDManager scope = context.backend().newScope(context.device())) {
        NDArray value = model.forward(batch.tokens(), Hooks.none().record(hook), scope).recorded(hook);
        long length = value.getShape().get(1);
        int width = (int) value.getShape().get(2);
        double[] all = value.toType(DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < batch.examples().size(); i++) {
          var example = batch.examples().get(i);
          int start = example.responseStart();
          int last = start > 0 && start < example.length() ? start - 1 : example.length() - 1;
          long at = (i * length + batch.tokens().firstReal(i) + last) * width;
          String group = example.group() == null ? "all" : example.group();
          out.add(new Probe(group, java.util.Arrays.copyOfRange(all, (int) at, (int) at + width)));
        }
      }
    });
    return out;
  }
}
