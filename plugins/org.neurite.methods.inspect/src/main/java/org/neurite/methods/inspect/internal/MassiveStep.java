package org.neurite.methods.inspect.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.analysis.stats.MedianRule;
import org.neurite.analysis.stats.SequenceMagnitudes;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code stats.massive}: massive activations in the residual stream over a corpus (METHODS.md B5,
 * Sun et al. 2024). docs/methods/massive-activations.md.
 */
@Component(service = Step.class)
@NeuriteStep(name = "stats.massive")
public final class MassiveStep implements Step {
  private static final StepSpec SPEC = DatasetLoop.params(StepSpec.named("stats.massive")
      .summary("massive activations (B5, Sun et al. 2024): per layer and sequence max|h| / median|h| over the real"
          + " S x d entries of the residual stream, where the maximum is, and the |a| > 100, |a|/median >= 1000 counts")
      .input("model", LanguageModel.class, "the model")
      .input("dataset", Dataset.class, "the corpus; each example is one sequence")
      .param(ParamSpec.optional("hooks", ParamType.STRING_LIST, "[\"blocks.0.hook_resid_pre\", \"blocks.*.hook_resid_post\"]",
          "residual-stream hook points [batch, pos, d]: the embeddings (block 0's input) and every block's output"))
      .param(ParamSpec.optional("median", ParamType.STRING, "\"lower\"", "lower: the lower middle value (torch.median);"
          + " midpoint: the mean of the two middle values (numpy.median)"))
      .param(ParamSpec.optional("abs_threshold", ParamType.NUMBER, "100", "a massive activation has |a| above this"))
      .param(ParamSpec.optional("ratio_threshold", ParamType.NUMBER, "1000", "... and |a| / median at least this"))
      .param(ParamSpec.optional("top", ParamType.INTEGER, "20", "how many of the largest sequence maxima are listed")))
      .output("neurons", NeuronSet.class, "the residual dimensions where sequence maxima sit, per hook point: group"
          + " top (every dimension that held a sequence's max|h|; score: its largest |h|) and massive (those whose max"
          + " passed both thresholds)")
      .output("report", Path.class, "massive.json: the per-layer table, plot data (layer vs mean ratio with its"
          + " standard error), the top occurrences, per-token ratios")
      .output("table", Path.class, "massive.csv: one row per hook point")
      .output("sequences", Path.class, "sequences.csv: one row per hook point and sequence")
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
    List<String> hooks = context.param("hooks", List.class);
    if (hooks.isEmpty()) {
      throw new NeuriteException(where + ": hooks is empty; give residual-stream hook points, e.g."
          + " [\"blocks.*.hook_resid_post\"].");
    }
    Options options = new Options(hooks, median(context.param("median", String.class), where),
        context.param("abs_threshold", Double.class), context.param("ratio_threshold", Double.class));
    int top = (int) positive(context, "top", where);
    MassiveActivations result = new MassiveActivations();
    DatasetLoop.run(context, model, dataset, "sequences", batch -> add(result, model, batch, options,
        context.backend(), context.device()));
    if (result.examples() == 0) {
      throw new NeuriteException(where + ": the dataset has no examples; give it at least one sequence.");
    }
    for (Map.Entry<String, MassiveActivations.Site> e : result.sites().entrySet()) {
      MassiveActivations.Site site = e.getValue();
      context.metric("ratio.mean", e.getKey(), site.meanRatio());
      context.metric("ratio.sem", e.getKey(), site.semRatio());
      context.metric("max_abs", e.getKey(), site.largest().magnitudes().maxAbs());
      context.metric("massive", e.getKey(), site.count(SequenceMagnitudes::massive));
    }
    context.metric("sequences", "", result.examples());
    NeuronSet neurons = neurons(result, options);
    Path report = Reports.json(context, "massive.json", MassiveReport.json(result, options, top, model));
    Path table = Reports.csv(context, "massive.csv", MassiveReport.TABLE_HEADER,
        out -> MassiveReport.table(result, options, out));
    Path sequences = Reports.csv(context, "sequences.csv", MassiveReport.SEQUENCE_HEADER,
        out -> MassiveReport.sequences(result, options, model, out));
    return StepResult.of("neurons", neurons, "report", report, "table", table, "sequences", sequences);
  }

  /** What a run measures. */
  record Options(List<String> hooks, MedianRule median, double absThreshold, double ratioThreshold) {}

  /** Runs one batch and adds every sequence's magnitudes at every hook point (in forward order). */
  static void add(MassiveActivations result, LanguageModel model, Batches.Batch batch, Options options,
      TensorBackend backend, String device) {
    Hooks hooks = Hooks.none();
    for (String hook : options.hooks()) {
      hooks = hooks.record(hook);
    }
    Map<String, List<SequenceMagnitudes>> perHook = new LinkedHashMap<>();
    try (NDManager scope = backend.newScope(device)) {
      Forward forward = model.forward(batch.tokens(), hooks, scope);
      NDArray mask = forward.attentionMask();
      for (Map.Entry<String, NDArray> e : forward.recorded().entrySet()) {
        perHook.put(e.getKey(), SequenceMagnitudes.of(e.getValue(), mask, options.median(), options.absThreshold(),
            options.ratioThreshold()));
      }
    }
    List<long[]> ids = new ArrayList<>();
    List<String> exampleIds = new ArrayList<>();
    for (TokenizedExample e : batch.examples()) {
      ids.add(e.ids());
      exampleIds.add(e.example().id());
    }
    result.add(perHook, ids, exampleIds);
  }

  /** Groups top and massive: the residual dimensions holding sequence maxima, per hook point. */
  static NeuronSet neurons(MassiveActivations result, Options options) {
    Map<Unit, Double> top = new LinkedHashMap<>();
    Map<Unit, Double> massive = new LinkedHashMap<>();
    result.sites().forEach((hook, site) -> {
      for (MassiveActivations.Sequence s : site.sequences) {
        Unit unit = new Unit(hook, s.magnitudes().maxUnit());
        top.merge(unit, s.magnitudes().maxAbs(), Math::max);
        if (s.maxIsMassive(options.absThreshold(), options.ratioThreshold())) {
          massive.merge(unit, s.magnitudes().maxAbs(), Math::max);
        }
      }
    });
    List<NeuronSet.Member> members = new ArrayList<>();
    top.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> members.add(new NeuronSet.Member(e.getKey(), e.getValue(), "top")));
    massive.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> members.add(new NeuronSet.Member(e.getKey(), e.getValue(), "massive")));
    return new NeuronSet("massive-activations", "max_abs", members);
  }

  static MedianRule median(String name, String where) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "lower" -> MedianRule.LOWER;
      case "midpoint", "mean" -> MedianRule.MIDPOINT;
      default -> throw new NeuriteException(where + ": median '" + name + "' is not one of lower (torch.median),"
          + " midpoint (numpy.median).");
    };
  }

  private static long positive(StepContext context, String param, String where) {
    long value = context.param(param, Long.class);
    if (value < 1) {
      throw new NeuriteException(where + ": " + param + " is " + value + "; it must be at least 1.");
    }
    return value;
  }
}
