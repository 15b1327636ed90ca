package org.neurite.analysis.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

/**
 * Selection rules over unit scores (METHODS.md P5), per group: global top rate, top k, top k per
 * hook point, a threshold, a quantile threshold. Ties are broken by model order, so a selection is
 * deterministic. Every rule names what is wrong in one message (a group with no scores, a k larger
 * than the units).
 */
public final class Selection {
  private final UnitScores scores;
  private final String where;

  /** @param where the step or caller, for messages */
  public Selection(UnitScores scores, String where) {
    this.scores = scores;
    this.where = where;
  }

  /** The top {@code rate} fraction of all units (over every hook point) by score, at least one. */
  public NeuronSet topRate(String group, double rate) {
    if (!(rate > 0 && rate <= 1)) {
      throw new NeuriteException(where + ": rate " + rate + " must be in (0, 1], e.g. 0.01 for the top 1%.");
    }
    List<Scored> all = ranked(group);
    int k = Math.max(1, (int) Math.round(rate * all.size()));
    return set("top" + rate, group, all.subList(0, k));
  }

  /** The {@code k} highest-scoring units over every hook point. */
  public NeuronSet topK(String group, int k) {
    List<Scored> all = ranked(group);
    checkK(k, all.size(), "the " + all.size() + " units of " + scores.hooks().size() + " hook points");
    return set("top" + k, group, all.subList(0, k));
  }

  /** The {@code k} highest-scoring units of each hook point. */
  public NeuronSet topKPerHook(String group, int k) {
    List<Scored> chosen = new ArrayList<>();
    for (String hook : scores.hooks()) {
      List<Scored> mine = ranked(group).stream().filter(s -> s.unit.hook().equals(hook)).toList();
      checkK(k, mine.size(), "the " + mine.size() + " units of " + hook);
      chosen.addAll(mine.subList(0, k));
    }
    return set("top" + k + "-per-hook", group, chosen);
  }

  /** Every unit whose score is above {@code threshold}. */
  public NeuronSet above(String group, double threshold) {
    return set(">" + threshold, group, ranked(group).stream().filter(s -> s.score > threshold).toList());
  }

  /** Every unit whose score is above the {@code q} quantile of all the group's scores (linear interpolation). */
  public NeuronSet aboveQuantile(String group, double q) {
    if (!(q >= 0 && q < 1)) {
      throw new NeuriteException(where + ": quantile " + q + " must be in [0, 1), e.g. 0.95.");
    }
    List<Scored> all = ranked(group);
    double[] sorted = all.stream().mapToDouble(s -> s.score).sorted().toArray();
    double position = q * (sorted.length - 1);
    int low = (int) Math.floor(position);
    int high = Math.min(sorted.length - 1, low + 1);
    double threshold = sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    return set(">q" + q, group, all.stream().filter(s -> s.score > threshold).toList());
  }

  /** Units by hook point, as interventions take them. */
  public static Map<String, int[]> byHook(NeuronSet set, String group) {
    Map<String, List<Integer>> lists = new LinkedHashMap<>();
    for (Unit unit : set.units(group)) {
      lists.computeIfAbsent(unit.hook(), h -> new ArrayList<>()).add(unit.index());
    }
    Map<String, int[]> out = new LinkedHashMap<>();
    lists.forEach((hook, units) -> out.put(hook, units.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  private record Scored(Unit unit, double score) {}

  private List<Scored> ranked(String group) {
    List<Scored> all = new ArrayList<>();
    for (String hook : scores.hooks()) {
      float[] values = scores.of(hook, group).orElseThrow(() -> new NeuriteException(where + ": there are no scores for"
          + " group '" + group + "' at " + hook + " (groups: " + scores.groups() + "); check the dataset's group field"
          + " and that the group has examples."));
      for (int i = 0; i < values.length; i++) {
        if (!Float.isNaN(values[i])) {
          all.add(new Scored(new Unit(hook, i), values[i]));
        }
      }
    }
    all.sort(Comparator.comparingDouble((Scored s) -> -s.score).thenComparing(s -> s.unit));
    return all;
  }

  private void checkK(int k, int available, String what) {
    if (k < 1 || k > available) {
      throw new NeuriteException(where + ": k = " + k + " but there are " + available + " units to choose from ("
          + what + "); choose k between 1 and " + available + ".");
    }
  }

  private NeuronSet set(String rule, String group, List<Scored> chosen) {
    List<NeuronSet.Member> members = chosen.stream().map(s -> new NeuronSet.Member(s.unit, s.score, group)).toList();
    return new NeuronSet(scores.statistic() + "/" + rule, scores.statistic(), members);
  }
}
