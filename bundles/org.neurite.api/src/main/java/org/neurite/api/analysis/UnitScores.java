package org.neurite.api.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A score per unit, per hook point and per group, naming the statistic it is (activation
 * probability, mean, a gradient attribution...). On disk: one safetensors file whose tensor
 * {@code hook/group} holds the scores of that hook point for that group, as float32.
 *
 * @param statistic what the scores are, e.g. {@code p_active}, {@code grad_x_act}
 * @param scores by hook point, then by group, one float per unit (every group of a hook point has
 *     the same number of units)
 */
public record UnitScores(String statistic, Map<String, Map<String, float[]>> scores) {

  public UnitScores {
    Objects.requireNonNull(statistic, "statistic");
    Map<String, Map<String, float[]>> copy = new LinkedHashMap<>();
    scores.forEach((hook, byGroup) -> {
      Map<String, float[]> groups = new LinkedHashMap<>();
      int units = -1;
      for (Map.Entry<String, float[]> e : byGroup.entrySet()) {
        if (units >= 0 && e.getValue().length != units) {
          throw new IllegalArgumentException("hook " + hook + " has " + units + " scores for one group and "
              + e.getValue().length + " for group " + e.getKey());
        }
        units = e.getValue().length;
        groups.put(e.getKey(), e.getValue().clone());
      }
      copy.put(hook, Collections.unmodifiableMap(groups));
    });
    scores = Collections.unmodifiableMap(copy);
  }

  /** The hook points, in the order they were given. */
  public List<String> hooks() {
    return List.copyOf(scores.keySet());
  }

  /** Every group that any hook point has, in first-seen order. */
  public List<String> groups() {
    List<String> groups = new ArrayList<>();
    scores.values().forEach(byGroup -> byGroup.keySet().stream().filter(g -> !groups.contains(g)).forEach(groups::add));
    return groups;
  }

  /** The number of units of a hook point. */
  public int units(String hook) {
    Map<String, float[]> byGroup = scores.get(hook);
    return byGroup == null || byGroup.isEmpty() ? 0 : byGroup.values().iterator().next().length;
  }

  /** One hook point's scores for one group (a copy). */
  public Optional<float[]> of(String hook, String group) {
    Map<String, float[]> byGroup = scores.get(hook);
    return Optional.ofNullable(byGroup == null ? null : byGroup.get(group)).map(float[]::clone);
  }

  /** The score of one unit for a group, NaN where there is none. */
  public float score(Unit unit, String group) {
    Map<String, float[]> byGroup = scores.get(unit.hook());
    float[] values = byGroup == null ? null : byGroup.get(group);
    return values == null || unit.index() >= values.length ? Float.NaN : values[unit.index()];
  }

  /** The safetensors tensor name of a hook point's scores for a group. */
  public static String tensorName(String hook, String group) {
    return hook + "/" + group;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof UnitScores u) || !u.statistic.equals(statistic) || !u.scores.keySet().equals(scores.keySet())) {
      return false;
    }
    for (String hook : scores.keySet()) {
      Map<String, float[]> mine = scores.get(hook);
      Map<String, float[]> theirs = u.scores.get(hook);
      if (!mine.keySet().equals(theirs.keySet())) {
        return false;
      }
      for (String group : mine.keySet()) {
        if (!Arrays.equals(mine.get(group), theirs.get(group))) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(statistic, scores.keySet());
  }

  @Override
  public String toString() {
    return "UnitScores[" + statistic + ", " + scores.size() + " hook points, groups " + groups() + "]";
  }
}
