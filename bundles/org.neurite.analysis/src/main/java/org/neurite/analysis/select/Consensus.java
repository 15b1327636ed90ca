package org.neurite.analysis.select;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.neurite.api.analysis.Unit;

/**
 * Units kept by enough of several selections (METHODS.md A13, knowledge neurons): a fact's
 * neurons are those kept for at least a fraction p of its paraphrase prompts.
 */
public final class Consensus {
  private Consensus() {}

  /** The units present in at least {@code ceil(p * n)} of the n selections, in unit order. */
  public static List<Unit> keptInAtLeast(List<? extends Collection<Unit>> selections, double p) {
    return kept(selections, p, Math.ceil(p * selections.size() - 1e-12));
  }

  /**
   * The units present in at least {@code max(p * n, minimum)} of the n selections, in unit order,
   * compared in doubles as the knowledge-neuron code does ({@code 2_get_kn.py}'s {@code parse_kn},
   * with at least 3 prompts), with p as repeated addition leaves it ({@code 0.7 - 0.05 - 0.05} is
   * 0.5999999999999999, and 5p = 2.999999999999999: 3 votes of 5 pass).
   */
  public static List<Unit> keptInAtLeast(List<? extends Collection<Unit>> selections, double p, int minimum) {
    return kept(selections, p, Math.max(p * selections.size(), minimum));
  }

  private static List<Unit> kept(List<? extends Collection<Unit>> selections, double p, double needed) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("the consensus fraction " + p + " must be in (0, 1]");
    }
    Map<Unit, Integer> votes = new TreeMap<>();
    for (Collection<Unit> selection : selections) {
      for (Unit u : Set.copyOf(selection)) {
        votes.merge(u, 1, Integer::sum);
      }
    }
    List<Unit> kept = new ArrayList<>();
    votes.forEach((u, n) -> {
      if (n >= needed) {
        kept.add(u);
      }
    });
    return kept;
  }

  /** The outcome of {@link #adaptive}: the fraction the kept sets were made with, and each fact's set. */
  public record Adaptive(double p, List<double[]> tries, List<List<Unit>> kept) {
    /** The mean number of units kept per fact. */
    public double meanKept() {
      return kept.stream().mapToInt(List::size).average().orElse(0);
    }
  }

  /**
   * The knowledge-neuron search over a relation's facts ({@code 2_get_kn.py}'s main loop): with
   * fraction p (from {@code start}) keep each fact's units by {@link #keptInAtLeast(List, double, int)}
   * over its prompts' selections; if the facts keep fewer than {@code low} units on average lower p
   * by {@code step}, if more than {@code high} raise it, and stop once the mean is in range or after
   * {@code tries} analyses. The sets are those of the last analysis; p moves by repeated addition,
   * as the authors' loop does.
   *
   * @param facts per fact, its prompts' selections
   * @param minimum the fewest prompts a unit must be kept by (the authors' 3)
   */
  public static Adaptive adaptive(List<? extends List<? extends Collection<Unit>>> facts, double start, double step,
      int tries, double low, double high, int minimum) {
    if (facts.isEmpty() || tries < 1) {
      throw new IllegalArgumentException("the adaptive consensus needs facts and at least one try");
    }
    double p = start;
    double used = p;
    List<double[]> history = new ArrayList<>();
    List<List<Unit>> kept = null;
    for (int t = 0; t < tries; t++) {
      used = p;
      kept = new ArrayList<>();
      for (List<? extends Collection<Unit>> prompts : facts) {
        kept.add(keptInAtLeast(prompts, Math.min(1, Math.max(Double.MIN_VALUE, used)), minimum));
      }
      double mean = kept.stream().mapToInt(List::size).average().orElse(0);
      history.add(new double[] {used, mean});
      if (mean < low) {
        p -= step;
      }
      if (mean > high) {
        p += step;
      }
      if (mean >= low && mean <= high) {
        break;
      }
    }
    return new Adaptive(used, history, kept);
  }
}
