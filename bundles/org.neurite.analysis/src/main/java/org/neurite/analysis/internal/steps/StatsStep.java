package org.neurite.analysis.internal.steps;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.DatasetLoop;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.contrast.Statistic;
import org.neurite.analysis.intervene.HookWidths;
import org.neurite.analysis.stats.StatsFiles;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
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
 * {@code stats.units}: streaming per-unit statistics per group at hook points, in one pass over a
 * dataset; memory does not grow with the number of tokens. Writes one statistics file per hook point
 * (mergeable snapshots, readable from Python) and a manifest, and outputs one statistic as unit scores.
 */
@Component(service = Step.class)
@NeuriteStep(name = "stats.units")
public final class StatsStep implements Step {
  private static final StepSpec SPEC = PooledRows.params(DatasetLoop.params(StepSpec.named("stats.units")
      .summary("per-unit statistics per group at hook points: count, mean, variance, P(x > t), mean |x|, E[x^2], min, max")
      .input("model", LanguageModel.class, "the model")
      .input("dataset", Dataset.class, "the examples, with their groups")
      .param(ParamSpec.optional("active_above", ParamType.NUMBER, "0", "a unit is active where its value is above this"))
      .param(ParamSpec.optional("statistic", ParamType.STRING, "\"active_probability\"",
          "the statistic output as unit scores: mean, mean_abs, mean_square or active_probability"))))
      .output("stats", Path.class, "the manifest (stats.json) of the per-hook statistics files")
      .output("scores", UnitScores.class, "the chosen statistic per hook point and group")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    LanguageModel model = context.input("model", LanguageModel.class);
    Dataset dataset = context.input("dataset", Dataset.class);
    PooledRows rows = PooledRows.of(context, model);
    Positions positions = rows.positions();
    Pooling pooling = rows.pooling();
    Statistic statistic = statistic(context);
    List<String> hooks = rows.hooks();
    List<String> groups = StepInputs.groups(context, dataset);
    StatsOptions options = StatsOptions.cheap().withActiveAbove(context.param("active_above", Double.class));
    Map<String, UnitStatsAccumulator> accumulators = new LinkedHashMap<>();
    try {
      for (String hook : hooks) {
        accumulators.put(hook, UnitStatsAccumulator.open(context.backend(), context.device(), hook, groups,
            HookWidths.of(model.spec(), hook), options));
      }
      Hooks recording = rows.recording();
      DatasetLoop.run(context, model, dataset, "statistics", batch -> add(batch, model, recording,
          accumulators, positions, pooling, groups, context));
      Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
      JsonArray files = new JsonArray();
      int index = 0;
      for (Map.Entry<String, UnitStatsAccumulator> e : accumulators.entrySet()) {
        UnitStats stats = e.getValue().snapshot();
        String name = "stats-" + index++ + ".safetensors";
        context.artifacts().write(name, "unit-stats", temporary -> StatsFiles.write(stats, temporary));
        JsonObject entry = new JsonObject();
        entry.addProperty("hook", e.getKey());
        entry.addProperty("file", name);
        files.add(entry);
        Map<String, float[]> byGroup = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
          byGroup.put(groups.get(g), toFloats(statistic.of(stats, g)));
        }
        scores.put(e.getKey(), byGroup);
      }
      for (int g = 0; g < groups.size(); g++) {
        context.metric("rows", groups.get(g), accumulators.values().iterator().next().snapshot().count(g));
      }
      JsonObject manifest = new JsonObject();
      manifest.addProperty("kind", StatsFiles.MANIFEST_KIND);
      manifest.addProperty("pooling", pooling.name().toLowerCase(Locale.ROOT));
      manifest.addProperty("positions", positions.name().toLowerCase(Locale.ROOT));
      manifest.add("files", files);
      Path file = Steps.writeJson(context, "stats.json", StatsFiles.MANIFEST_KIND, manifest);
      return StepResult.of("stats", file, "scores", new UnitScores(statistic.name().toLowerCase(Locale.ROOT), scores));
    } finally {
      accumulators.values().forEach(UnitStatsAccumulator::close);
    }
  }

  private static void add(Batches.Batch batch, LanguageModel model, Hooks record,
      Map<String, UnitStatsAccumulator> accumulators, Positions positions, Pooling pooling, List<String> groups,
      StepContext context) {
    float[] mask = positions.mask(batch);
    int[] sequenceGroups = new int[batch.examples().size()];
    for (int i = 0; i < sequenceGroups.length; i++) {
      sequenceGroups[i] = StepInputs.groupIndex(batch.examples().get(i).group(), groups);
    }
    int[] rowGroups = pooling.perToken() ? tokenGroups(mask, batch, sequenceGroups) : sequenceGroups;
    try (var scope = context.backend().newScope(context.device())) {
      var forward = model.forward(batch.tokens(), record, scope);
      for (Map.Entry<String, UnitStatsAccumulator> e : accumulators.entrySet()) {
        var rows = pooling.pool(forward.recorded(e.getKey()), mask, scope);
        if (rows.getShape().get(0) > 0) {
          e.getValue().add(rows, rowGroups);
        }
      }
    }
  }

  private static int[] tokenGroups(float[] mask, Batches.Batch batch, int[] sequenceGroups) {
    int length = batch.tokens().length();
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < mask.length; k++) {
      if (mask[k] != 0) {
        out.add(sequenceGroups[k / length]);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Statistic statistic(StepContext context) {
    String name = context.param("statistic", String.class).toUpperCase(Locale.ROOT);
    try {
      return Statistic.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw Steps.bad(context, "statistic", "'" + context.param("statistic", String.class) + "' is not one of mean,"
          + " mean_abs, mean_square, active_probability.");
    }
  }

  static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
