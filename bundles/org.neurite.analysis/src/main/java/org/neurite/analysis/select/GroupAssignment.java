package org.neurite.analysis.select;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

/**
 * Group assignment by bar crossing (METHODS.md A5/A8): a unit belongs to every group whose value
 * passes the bar, so one unit may belong to several groups or to none. With l groups, the number
 * of groups above the bar, N, sorts units into specific (N = 1), related (1 &lt; N &lt; l) and
 * general (N = l).
 */
public final class GroupAssignment {
  private GroupAssignment() {}

  /**
   * The units, each as a member of every group whose value is above {@code bar}, with that value
   * as its score.
   *
   * @param values per hook point and group, e.g. each group's activation probability
   */
  public static NeuronSet byBar(String name, Collection<Unit> units, UnitScores values, double bar) {
    List<NeuronSet.Member> members = new ArrayList<>();
    for (Unit unit : units) {
      for (String group : values.groups()) {
        double v = value(values, unit, group);
        if (v > bar) {
          members.add(new NeuronSet.Member(unit, v, group));
        }
      }
    }
    return new NeuronSet(name, values.statistic() + " > " + bar, members);
  }

  /** N: for each unit, how many groups' values are above {@code bar}. */
  public static int[] groupsAbove(List<Unit> units, UnitScores values, double bar) {
    int[] n = new int[units.size()];
    for (int i = 0; i < n.length; i++) {
      for (String group : values.groups()) {
        n[i] += value(values, units.get(i), group) > bar ? 1 : 0;
      }
    }
    return n;
  }

  private static double value(UnitScores values, Unit unit, String group) {
    float[] scores = values.scores().getOrDefault(unit.hook(), Map.of()).get(group);
    if (scores == null) {
      throw new NeuriteException("The values " + values.statistic() + " have no group " + group + " at " + unit.hook()
          + "; they cover " + values.hooks() + ".");
    }
    if (unit.index() >= scores.length) {
      throw new NeuriteException("Unit " + unit + " is outside " + unit.hook() + ", which has " + scores.length
          + " units.");
    }
    return scores[unit.index()];
  }
}
