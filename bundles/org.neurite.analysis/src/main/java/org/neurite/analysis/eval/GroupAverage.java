package org.neurite.analysis.eval;

import java.util.Map;
import java.util.TreeMap;

/**
 * A mean per group of one value per example: a rate when the values are 0 and 1 (greedy match, a
 * right answer), or a mean probability. Mergeable: shards evaluated apart and merged give the same
 * sums and counts.
 */
public final class GroupAverage {
  private final Map<String, double[]> sums = new TreeMap<>();

  /** Adds one example's value. */
  public void add(String group, double value) {
    double[] s = sums.computeIfAbsent(group == null ? "" : group, g -> new double[2]);
    s[0] += value;
    s[1]++;
  }

  /** Adds one example's outcome as 1 or 0. */
  public void add(String group, boolean passed) {
    add(group, passed ? 1.0 : 0.0);
  }

  public void merge(GroupAverage other) {
    other.sums.forEach((g, s) -> {
      double[] mine = sums.computeIfAbsent(g, k -> new double[2]);
      mine[0] += s[0];
      mine[1] += s[1];
    });
  }

  /** The groups seen, sorted. */
  public Iterable<String> groups() {
    return sums.keySet();
  }

  /** The mean of a group's values (NaN if it had none). */
  public double mean(String group) {
    double[] s = sums.get(group);
    return s == null || s[1] == 0 ? Double.NaN : s[0] / s[1];
  }

  /** How many examples of a group were added. */
  public long count(String group) {
    double[] s = sums.get(group);
    return s == null ? 0 : (long) s[1];
  }
}
