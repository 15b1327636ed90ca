package org.neurite.methods.unlearning.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.intervene.RemapTable;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;

/**
 * Neuron Adjust's selection (METHODS.md A3; the authors' {@code get_adjust_info.py}): per unit the
 * forget and retain means and the code's "std" field, which is {@code Σx²/n − (Σx/n)²}, a variance
 * (the population variance of {@code stats.units}); {@code Δ = μ_f − μ_r}; the threshold is the
 * value at the top {@code p} of Δ pooled over every hook point ({@link #threshold}); the units with
 * {@code Δ ≥ threshold} are kept (one-sided).
 */
final class NeuronAdjust {
  private NeuronAdjust() {}

  /** What was selected: the units, every unit's Δ per hook point, the threshold and the remap statistics. */
  record Result(NeuronSet neurons, Map<String, double[]> delta, double threshold, RemapTable table) {}

  /**
   * @param forget the forget group
   * @param retain the retain groups (pooled, row-weighted); empty for every other group
   * @param topRate p as a fraction (0.03 for 3%)
   */
  static Result run(Map<String, UnitStats> stats, String forget, List<String> retain, double topRate, String where) {
    if (!(topRate > 0 && topRate <= 1)) {
      throw new NeuriteException(where + ": top_rate is " + topRate + "; give a fraction in (0, 1], e.g. 0.03 for the"
          + " paper's 3% (0.005 for languages).");
    }
    if (stats.isEmpty()) {
      throw new NeuriteException(where + ": the statistics hold no hook point; run stats.units with hooks"
          + " [\"blocks.*.mlp.hook_pre\"] grouped by skill.");
    }
    Map<String, double[]> delta = new LinkedHashMap<>();
    Map<String, RemapTable.Site> sites = new LinkedHashMap<>();
    for (Map.Entry<String, UnitStats> e : stats.entrySet()) {
      UnitStats s = e.getValue();
      List<String> groups = s.groups();
      if (!groups.contains(forget)) {
        throw new NeuriteException(where + ": forget group '" + forget + "' is not among the statistics' groups " + groups
            + " at " + e.getKey() + "; give forget one of them (the dataset's skill field).");
      }
      List<String> others = retain.isEmpty() ? groups.stream().filter(g -> !g.equals(forget)).toList() : retain;
      if (others.isEmpty()) {
        throw new NeuriteException(where + ": there is no retain group: the statistics have only '" + forget + "'. Give"
            + " the dataset examples of the skills to keep.");
      }
      for (String g : others) {
        if (g.equals(forget)) {
          throw new NeuriteException(where + ": retain names the forget group '" + forget + "'; retain the other skills.");
        }
        if (!groups.contains(g)) {
          throw new NeuriteException(where + ": retain group '" + g + "' is not among the statistics' groups " + groups
              + " at " + e.getKey() + ".");
        }
      }
      int f = s.group(forget);
      UnitStats r = s.pool("retain", others);
      if (s.count(f) == 0) {
        throw new NeuriteException(where + ": forget group '" + forget + "' has no tokens at " + e.getKey() + "; give it"
            + " examples.");
      }
      if (r.count(0) == 0) {
        throw new NeuriteException(where + ": the retain groups " + others + " have no tokens at " + e.getKey() + ".");
      }
      double[] muF = s.mean(f);
      double[] muR = r.mean(0);
      double[] d = new double[muF.length];
      for (int u = 0; u < d.length; u++) {
        d[u] = muF[u] - muR[u];
      }
      delta.put(e.getKey(), d);
      sites.put(e.getKey(), new RemapTable.Site(muF, s.variance(f), muR, r.variance(0)));
    }
    double threshold = threshold(delta, topRate);
    List<NeuronSet.Member> members = new ArrayList<>();
    delta.forEach((hook, d) -> {
      for (int u = 0; u < d.length; u++) {
        if (d[u] >= threshold) {
          members.add(new NeuronSet.Member(new Unit(hook, u), d[u], forget));
        }
      }
    });
    return new Result(new NeuronSet("neuron_adjust", "delta_mean", members), delta, threshold, new RemapTable(sites));
  }

  /**
   * The value at the top {@code rate} of all Δ pooled, as the authors' {@code find_top_percentile_value}
   * takes it: sorted ascending, the value at index {@code int(N · (1 − rate))} (truncated, clamped to
   * the array). Units at or above it are kept, so ties at the threshold are all kept.
   */
  static double threshold(Map<String, double[]> delta, double rate) {
    double[] all = delta.values().stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    java.util.Arrays.sort(all);
    int index = Math.max(0, Math.min(all.length - 1, (int) (all.length * (1 - rate))));
    return all[index];
  }
}
