package org.neurite.analysis.internal.steps;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.neurite.analysis.contrast.GroupEntropy;
import org.neurite.analysis.contrast.MeanContrast;
import org.neurite.analysis.contrast.Statistic;
import org.neurite.analysis.contrast.ZScores;
import org.neurite.analysis.stats.StatsFiles;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.NeuriteException;
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
 * {@code scores.contrast}: scores that contrast groups, from the statistics of {@code stats.units}:
 * each group's statistic minus (or over) the other groups' pooled by rows, its z-score across
 * groups, or LAPE's entropy of the normalised activation probabilities (negated, so that higher
 * means more specific; one score per unit, under group {@code all}).
 */
@Component(service = Step.class)
@NeuriteStep(name = "scores.contrast")
public final class ContrastStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("scores.contrast")
      .summary("contrasts groups: difference or ratio vs the other groups, z-score across groups, LAPE entropy")
      .input("stats", Path.class, "the statistics manifest of stats.units")
      .param(ParamSpec.optional("method", ParamType.STRING, "\"difference\"",
          "difference, ratio (vs the other groups pooled), zscore (across groups) or lape (negated entropy)"))
      .param(ParamSpec.optional("statistic", ParamType.STRING, "\"active_probability\"",
          "mean, mean_abs, mean_square or active_probability (lape always uses active_probability)"))
      .param(ParamSpec.optional("epsilon", ParamType.NUMBER, "1e-6", "added to the denominator of ratio"))
      .output("scores", UnitScores.class, "one score per unit, hook point and group")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    Path manifest = context.input("stats", Path.class);
    String method = context.param("method", String.class).toLowerCase(Locale.ROOT);
    Statistic statistic = statistic(context);
    double epsilon = context.param("epsilon", Double.class);
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    for (Map.Entry<String, UnitStats> e : read(manifest, context).entrySet()) {
      UnitStats stats = e.getValue();
      Map<String, float[]> byGroup = new LinkedHashMap<>();
      switch (method) {
        case "difference" -> stats.groups().forEach(g -> byGroup.put(g,
            StatsStep.toFloats(MeanContrast.differenceVsOthers(stats, statistic, g))));
        case "ratio" -> stats.groups().forEach(g -> byGroup.put(g,
            StatsStep.toFloats(MeanContrast.ratioVsOthers(stats, statistic, g, epsilon))));
        case "zscore" -> {
          double[][] values = new double[stats.groups().size()][];
          for (int g = 0; g < values.length; g++) {
            values[g] = statistic.of(stats, g);
          }
          double[][] z = ZScores.acrossGroups(values, 0);
          for (int g = 0; g < z.length; g++) {
            byGroup.put(stats.groups().get(g), StatsStep.toFloats(z[g]));
          }
        }
        case "lape" -> {
          double[] h = GroupEntropy.lape(stats);
          for (int u = 0; u < h.length; u++) {
            h[u] = -h[u];
          }
          byGroup.put("all", StatsStep.toFloats(h));
        }
        default -> throw Steps.bad(context, "method", "'" + method + "' is not one of difference, ratio, zscore, lape.");
      }
      scores.put(e.getKey(), byGroup);
    }
    String name = method.equals("lape") ? "lape_negated_entropy" : method + "(" + statistic.name().toLowerCase(Locale.ROOT) + ")";
    return StepResult.of("scores", new UnitScores(name, scores));
  }

  /** The per-hook statistics a manifest names, in its order. */
  static Map<String, UnitStats> read(Path manifest, StepContext context) {
    return StatsFiles.readManifest(manifest, "Step " + context.stepId());
  }

  private static Statistic statistic(StepContext context) {
    try {
      return Statistic.valueOf(context.param("statistic", String.class).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Steps.bad(context, "statistic", "'" + context.param("statistic", String.class) + "' is not one of mean,"
          + " mean_abs, mean_square, active_probability.");
    }
  }
}
