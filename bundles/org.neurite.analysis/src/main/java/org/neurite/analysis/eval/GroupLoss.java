package org.neurite.analysis.eval;

import java.util.Map;
import java.util.TreeMap;

/**
 * Next-token loss per group: the summed negative log-likelihood (natural log) and the number of
 * predicted tokens. Mergeable: shards evaluated apart and merged give the same totals.
 */
public final class GroupLoss {
  private final Map<String, double[]> totals = new TreeMap<>();

  /** Adds one sequence's summed loss over {@code tokens} predicted tokens. */
  public void add(String group, double nll, long tokens) {
    double[] t = totals.computeIfAbsent(group == null ? "" : group, g -> new double[2]);
    t[0] += nll;
    t[1] += tokens;
  }

  public void merge(GroupLoss other) {
    other.totals.forEach((g, t) -> add(g, t[0], (long) t[1]));
  }

  /** The groups seen, sorted. */
  public Iterable<String> groups() {
    return totals.keySet();
  }

  /** Mean loss per predicted token of a group (NaN if it had no token). */
  public double loss(String group) {
    double[] t = totals.get(group);
    return t == null || t[1] == 0 ? Double.NaN : t[0] / t[1];
  }

  /** exp(mean loss). */
  public double perplexity(String group) {
    return Math.exp(loss(group));
  }

  public long tokens(String group) {
    double[] t = totals.get(group);
    return t == null ? 0 : (long) t[1];
  }
}
