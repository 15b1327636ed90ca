package org.neurite.analysis.contrast;

import java.util.Arrays;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.NeuriteException;

/**
 * The entropy of the normalised group distribution of activation probability: LAPE (Tang et al.
 * 2024, METHODS.md A8) and the λ·max variant of A5 (language neurons and alignment).
 *
 * <p>With {@code p^k} a unit's activation probability in group k (of l groups) and
 * {@code p'^k = p^k / Σ_j p^j}: {@code H = −Σ_k p'^k ln p'^k}, with {@code 0·ln 0 = 0}. A unit
 * that is never active ({@code Σ p = 0}) gets {@code H = 0}, as LAPE's code gives (it sets the
 * NaN of 0/0 to 0); LAPE's filter then removes it, since no group of it is above the bar.
 * All arrays are {@code [G][U]}: one row per group.
 */
public final class GroupEntropy {
  private GroupEntropy() {}

  /** LAPE's entropy per unit from activation probabilities {@code p [G][U]}, {@code [U]}. */
  public static double[] lape(double[][] p) {
    int units = checkProbabilities(p);
    double[] h = new double[units];
    for (int u = 0; u < units; u++) {
      h[u] = entropy(p, u);
    }
    return h;
  }

  /** LAPE's entropy of the snapshot's activation probabilities (every group must have rows), {@code [U]}. */
  public static double[] lape(UnitStats stats) {
    return lape(probabilities(stats));
  }

  /** The activation probabilities of every group, {@code [G][U]}; every group must have rows. */
  public static double[][] probabilities(UnitStats stats) {
    double[][] p = new double[stats.groups().size()][];
    for (int g = 0; g < p.length; g++) {
      p[g] = Statistic.ACTIVE_PROBABILITY.of(stats, MeanContrast.nonEmpty(stats, stats.groups().get(g)));
    }
    return p;
  }

  private static double entropy(double[][] p, int u) {
    double sum = 0;
    for (double[] group : p) {
      sum += group[u];
    }
    if (sum == 0) {
      return 0;
    }
    double h = 0;
    for (double[] group : p) {
      double q = group[u] / sum;
      if (q > 0) {
        h -= q * Math.log(q);
      }
    }
    return h;
  }

  /**
   * LAPE's bar: the {@code k}-th smallest of all probabilities pooled over every site given (all
   * layers, units and groups), {@code k = round(N·ratio)} rounded half to even as Python's
   * {@code round} does, at least 1 ({@code torch.kthvalue}). LAPE uses ratio 0.95 both to filter
   * units and to assign them to groups; A5 uses the same 95th percentile as τ.
   */
  public static double activationBar(double ratio, double[][]... sites) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new NeuriteException("The activation bar ratio is " + ratio + ": give a value in (0, 1], e.g. 0.95.");
    }
    if (sites.length == 0) {
      throw new NeuriteException("The activation bar needs the probabilities of at least one site.");
    }
    int total = 0;
    for (double[][] site : sites) {
      total += checkProbabilities(site) * site.length;
    }
    double[] all = new double[total];
    int at = 0;
    for (double[][] site : sites) {
      for (double[] group : site) {
        System.arraycopy(group, 0, all, at, group.length);
        at += group.length;
      }
    }
    Arrays.sort(all);
    int k = (int) Math.max(1, Math.rint(total * ratio));
    return all[k - 1];
  }

  /**
   * LAPE's filter: a copy of {@code h} with {@code +∞} for every unit none of whose groups has
   * {@code p > bar}, so the lowest-entropy selection passes it over, {@code [U]}.
   */
  public static double[] filterNoGroupAbove(double[] h, double[][] p, double bar) {
    int units = checkProbabilities(p);
    if (h.length != units) {
      throw new NeuriteException("The entropies have " + h.length + " units but the probabilities " + units
          + ": give both for the same site.");
    }
    double[] filtered = h.clone();
    for (int u = 0; u < units; u++) {
      boolean above = false;
      for (double[] group : p) {
        above |= group[u] > bar;
      }
      if (!above) {
        filtered[u] = Double.POSITIVE_INFINITY;
      }
    }
    return filtered;
  }

  /**
   * A5's score per unit, lowest = most language-specific: the entropy minus λ times the largest
   * activation probability, in the paper's form or the authors' code's ({@link
   * EntropyNormalisation}), {@code [U]}.
   *
   * <p>As the authors' code ({@code wrap_neuron}, {@code calc_entropy}): a never-active unit's
   * distribution is uniform (entropy ln l, not LAPE's 0, so it is never the most specific); in the
   * code's form the normalised probabilities are clamped below at 1e-12 and renormalised, and the
   * logarithm is taken of q + 1e-30.
   *
   * @param lambda the weight of the max term, >= 0 (the authors search [0, 0.2]; ≈0.0196 for Mistral)
   */
  public static double[] languageNeuronScore(double[][] p, double lambda, EntropyNormalisation normalisation) {
    int units = checkProbabilities(p);
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new NeuriteException("λ is " + lambda + ": give a finite weight >= 0 for the max term (A5 searches"
          + " [0, 0.2]).");
    }
    int l = p.length;
    boolean code = normalisation == EntropyNormalisation.AUTHORS_CODE;
    double maxScale = 1;
    if (code) {
      double harmonic = 0;
      for (int m = 1; m <= l; m++) {
        harmonic += 1.0 / m;
      }
      maxScale = harmonic / l;
    }
    double[] score = new double[units];
    double[] q = new double[l];
    for (int u = 0; u < units; u++) {
      double max = 0;
      double sum = 0;
      for (double[] group : p) {
        max = Math.max(max, group[u]);
        sum += group[u];
      }
      for (int k = 0; k < l; k++) {
        q[k] = sum > 0 ? p[k][u] / sum : 1.0 / l;
      }
      double h = 0;
      if (code) {
        double total = 0;
        for (int k = 0; k < l; k++) {
          q[k] = Math.max(q[k], 1e-12);
          total += q[k];
        }
        for (int k = 0; k < l; k++) {
          double r = q[k] / total;
          h -= r * Math.log(r + 1e-30);
        }
        h /= Math.log(l);
      } else {
        for (int k = 0; k < l; k++) {
          h -= q[k] > 0 ? q[k] * Math.log(q[k]) : 0;
        }
      }
      score[u] = h - lambda * max / maxScale;
    }
    return score;
  }

  private static int checkProbabilities(double[][] p) {
    if (p == null || p.length < 2) {
      throw new NeuriteException("The group entropy needs activation probabilities of at least two groups; got "
          + (p == null ? 0 : p.length) + ". Accumulate the statistics with every group (language) you compare.");
    }
    int units = p[0].length;
    for (int g = 0; g < p.length; g++) {
      if (p[g].length != units) {
        throw new NeuriteException("Group " + g + " has probabilities for " + p[g].length + " units, group 0 for "
            + units + ": give every group the same units.");
      }
      for (int u = 0; u < units; u++) {
        if (!(p[g][u] >= 0 && p[g][u] <= 1)) {
          throw new NeuriteException("Activation probability " + p[g][u] + " of group " + g + ", unit " + u
              + " is not in [0, 1]: give probabilities #(x > t)/n, e.g. UnitStats.activeProbability, and leave"
              + " out groups with no rows.");
        }
      }
    }
    return units;
  }
}
