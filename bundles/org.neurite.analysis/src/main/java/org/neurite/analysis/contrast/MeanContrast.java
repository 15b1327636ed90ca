package org.neurite.analysis.contrast;

import java.util.ArrayList;
import java.util.List;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.NeuriteException;

/**
 * Difference and ratio of a per-unit statistic between a target group and a reference: a named
 * control group, or all other groups pooled by rows ({@code Σ n_g s_g / Σ n_g}).
 *
 * <p>Difference {@code s_target − s_reference} (skill unlearning NA, A3: {@code Δ = μ_forget −
 * μ_retain}; EigenShift, B3; CULNIG's target minus control, A1). Ratio {@code s_target /
 * (s_reference + ε)} (the abs-mean ratio baseline of A3); with {@code ε = 0} a zero reference
 * gives ±∞, or NaN for 0/0, as IEEE division does.
 */
public final class MeanContrast {
  private MeanContrast() {}

  /** {@code s_target − s_control} per unit, {@code [U]}. */
  public static double[] difference(UnitStats stats, Statistic statistic, String target, String control) {
    double[][] pair = pair(stats, statistic, target, control);
    return subtract(pair[0], pair[1]);
  }

  /** {@code s_target − s_others} per unit, the others pooled by rows, {@code [U]}. */
  public static double[] differenceVsOthers(UnitStats stats, Statistic statistic, String target) {
    double[][] pair = againstOthers(stats, statistic, target);
    return subtract(pair[0], pair[1]);
  }

  /** {@code s_target / (s_control + ε)} per unit, {@code [U]}. */
  public static double[] ratio(UnitStats stats, Statistic statistic, String target, String control, double epsilon) {
    checkEpsilon(epsilon);
    double[][] pair = pair(stats, statistic, target, control);
    return divide(pair[0], pair[1], epsilon);
  }

  /** {@code s_target / (s_others + ε)} per unit, the others pooled by rows, {@code [U]}. */
  public static double[] ratioVsOthers(UnitStats stats, Statistic statistic, String target, double epsilon) {
    checkEpsilon(epsilon);
    double[][] pair = againstOthers(stats, statistic, target);
    return divide(pair[0], pair[1], epsilon);
  }

  private static double[][] pair(UnitStats stats, Statistic statistic, String target, String control) {
    int t = nonEmpty(stats, target);
    int c = nonEmpty(stats, control);
    if (t == c) {
      throw new NeuriteException("The target and control groups are both '" + target + "': name two different"
          + " groups of " + stats.groups() + ".");
    }
    return new double[][] {statistic.of(stats, t), statistic.of(stats, c)};
  }

  private static double[][] againstOthers(UnitStats stats, Statistic statistic, String target) {
    int t = nonEmpty(stats, target);
    List<String> others = new ArrayList<>(stats.groups());
    others.remove(target);
    if (others.isEmpty()) {
      throw new NeuriteException("'" + target + "' is the only group of " + stats.site() + ": a contrast against"
          + " the other groups needs at least two groups.");
    }
    UnitStats pooled = stats.pool("others", others);
    if (pooled.count(0) == 0) {
      throw new NeuriteException("The groups other than '" + target + "' (" + others + ") have no rows in the"
          + " statistics of " + stats.site() + ": feed them examples first.");
    }
    return new double[][] {statistic.of(stats, t), statistic.of(pooled, 0)};
  }

  static int nonEmpty(UnitStats stats, String group) {
    int g = stats.group(group);
    if (stats.count(g) == 0) {
      throw new NeuriteException("Group '" + group + "' has no rows in the statistics of " + stats.site()
          + ": feed it examples, or leave it out of the contrast.");
    }
    return g;
  }

  private static void checkEpsilon(double epsilon) {
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new NeuriteException("The ratio's epsilon is " + epsilon + ": give a finite value >= 0 (0 for a plain"
          + " ratio, e.g. 1e-6 to keep a zero reference finite).");
    }
  }

  private static double[] subtract(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int u = 0; u < a.length; u++) {
      d[u] = a[u] - b[u];
    }
    return d;
  }

  private static double[] divide(double[] a, double[] b, double epsilon) {
    double[] r = new double[a.length];
    for (int u = 0; u < a.length; u++) {
      r[u] = a[u] / (b[u] + epsilon);
    }
    return r;
  }
}
