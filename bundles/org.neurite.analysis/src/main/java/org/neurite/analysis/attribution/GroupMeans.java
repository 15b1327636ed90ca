package org.neurite.analysis.attribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.api.analysis.UnitScores;

/**
 * Per-example scores averaged per group and hook point into {@link UnitScores}: the mean over a
 * group's examples of each unit's score, or the group's sum over the dataset's size. An example
 * without a group counts for {@code all}.
 */
public final class GroupMeans {
  private final List<String> groups;
  private final Map<String, double[][]> sums = new LinkedHashMap<>();
  private final Map<String, long[]> counts = new LinkedHashMap<>();

  /** @param groups every group an example may have ({@code all} for examples without one) */
  public GroupMeans(List<String> groups) {
    this.groups = List.copyOf(groups);
  }

  /** Adds one batch's scores at a hook point: row i belongs to the batch's example i. */
  public void add(String hook, Batches.Batch batch, double[][] scores) {
    if (scores.length == 0) {
      return;
    }
    double[][] sum = sums.computeIfAbsent(hook, h -> new double[groups.size()][scores[0].length]);
    long[] count = counts.computeIfAbsent(hook, h -> new long[groups.size()]);
    for (int i = 0; i < scores.length; i++) {
      String group = batch.examples().get(i).group();
      int g = groups.indexOf(group == null ? "all" : group);
      if (g < 0) {
        throw new IllegalArgumentException("example " + batch.examples().get(i).example().id() + " has group " + group
            + ", not one of " + groups);
      }
      for (int u = 0; u < scores[i].length; u++) {
        sum[g][u] += scores[i][u];
      }
      count[g]++;
    }
  }

  /** The number of examples of a group seen at a hook point. */
  public long count(String hook, String group) {
    long[] count = counts.get(hook);
    return count == null ? 0 : count[groups.indexOf(group)];
  }

  /** The means, for every group with at least one example, named {@code statistic}. */
  public UnitScores scores(String statistic) {
    return scores(statistic, false);
  }

  /**
   * Per group, the sum of its examples' scores divided by the number of examples of every group
   * together (CULNIG's normalisation, {@code Σ_{i∈c} s_i / N} with N the dataset's size), so the
   * groups' values add up to the mean over the whole dataset.
   */
  public UnitScores scoresOverDataset(String statistic) {
    return scores(statistic, true);
  }

  /** Each score below 0 set to 0 (CULNIG's control examples, before they are summed); a new array. */
  public static double[][] clippedAtZero(double[][] scores) {
    double[][] out = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      out[i] = scores[i].clone();
      for (int u = 0; u < out[i].length; u++) {
        out[i][u] = Math.max(0, out[i][u]);
      }
    }
    return out;
  }

  private UnitScores scores(String statistic, boolean overDataset) {
    Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
    sums.forEach((hook, sum) -> {
      long[] count = counts.get(hook);
      long total = java.util.Arrays.stream(count).sum();
      Map<String, float[]> byGroup = new LinkedHashMap<>();
      for (int g = 0; g < groups.size(); g++) {
        if (count[g] == 0) {
          continue;
        }
        float[] mean = new float[sum[g].length];
        for (int u = 0; u < mean.length; u++) {
          mean[u] = (float) (sum[g][u] / (overDataset ? total : count[g]));
        }
        byGroup.put(groups.get(g), mean);
      }
      out.put(hook, byGroup);
    });
    return new UnitScores(statistic, out);
  }
}
