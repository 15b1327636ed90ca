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
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("the consensus fraction " + p + " must be in (0, 1]");
    }
    long needed = (long) Math.ceil(p * selections.size() - 1e-12);
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

  /**
   * The knowledge-neuron rule: start at fraction {@code start}; while fewer than {@code min} units
   * are kept lower it by {@code step}, while more than {@code max} raise it, at most {@code moves}
   * times; the last result.
   */
  public static List<Unit> adaptive(List<? extends Collection<Unit>> selections, double start, double step, int moves,
      int min, int max) {
    double p = start;
    List<Unit> kept = keptInAtLeast(selections, p);
    for (int i = 0; i < moves && (kept.size() < min || kept.size() > max); i++) {
      p = Math.min(1, Math.max(step, kept.size() < min ? p - step : p + step));
      kept = keptInAtLeast(selections, p);
    }
    return kept;
  }
}
