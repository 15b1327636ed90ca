package org.neurite.analysis.eval;

import java.util.Map;
import java.util.TreeMap;

/**
 * A rate per group: how many of a group's examples passed a test (greedy match, a right answer) out
 * of how many were tested. Mergeable: shards evaluated apart and merged give the same counts.
 */
public final class GroupRate {
  private final Map<String, long[]> counts = new TreeMap<>();

  /** Adds one example's outcome. */
  public void add(String group, boolean passed) {
    long[] c = counts.computeIfAbsent(group == null ? "" : group, g -> new long[2]);
    c[0] += passed ? 1 : 0;
    c[1]++;
  }

  public void merge(GroupRate other) {
    other.counts.forEach((g, c) -> {
      long[] mine = counts.computeIfAbsent(g, k -> new long[2]);
      mine[0] += c[0];
      mine[1] += c[1];
    });
  }

  /** The groups seen, sorted. */
  public Iterable<String> groups() {
    return counts.keySet();
  }

  /** The fraction of a group's examples that passed (NaN if it had none). */
  public double rate(String group) {
    long[] c = counts.get(group);
    return c == null || c[1] == 0 ? Double.NaN : (double) c[0] / c[1];
  }

  /** How many of a group's examples were tested. */
  public long examples(String group) {
    long[] c = counts.get(group);
    return c == null ? 0 : c[1];
  }
}
