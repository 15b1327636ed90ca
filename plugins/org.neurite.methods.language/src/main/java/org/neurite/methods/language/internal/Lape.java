package org.neurite.methods.language.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.contrast.GroupEntropy;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;

/**
 * LAPE, language activation probability entropy (Tang et al., ACL 2024; METHODS.md A8), as the
 * authors' {@code identify.py} computes it from per-language activation probabilities:
 *
 * <ol>
 *   <li>{@code H = −Σ_k p'^k ln p'^k} of the probabilities normalised over languages;
 *   <li>the filter value: the {@code round(N·filter_rate)}-th smallest of all N probabilities (every
 *       layer, unit and language pooled, {@code kthvalue}); a unit none of whose languages is above it
 *       gets {@code H = +∞};
 *   <li>the {@code round(U·top_rate)} units of lowest H over all U units;
 *   <li>the activation bar, the same order statistic at {@code activation_bar_ratio}; each selected
 *       unit belongs to every language whose p is above it.
 * </ol>
 */
final class Lape {
  private Lape() {}

  /** The three rates, the authors' defaults being 0.01, 0.95 and 0.95. */
  record Options(double topRate, double filterRate, double barRatio) {
    static final Options AUTHORS = new Options(0.01, 0.95, 0.95);
  }

  /**
   * What LAPE found.
   *
   * @param entropy per hook point, each unit's entropy after the filter (+∞ for filtered units)
   * @param selected the selected units, lowest entropy first
   * @param neurons the selected units, each a member of every language above the bar (score: its
   *     activation probability in that language)
   */
  record Result(double filterValue, double activationBar, Map<String, double[]> entropy, List<Unit> selected,
      NeuronSet neurons) {}

  static Result run(LanguageProbabilities p, Options options, String where) {
    check(options.topRate(), "top_rate", where);
    check(options.filterRate(), "filter_rate", where);
    check(options.barRatio(), "activation_bar_ratio", where);
    double filterValue = GroupEntropy.activationBar(options.filterRate(), p.sites());
    Map<String, double[]> entropy = new LinkedHashMap<>();
    p.byHook().forEach((hook, probabilities) -> entropy.put(hook,
        GroupEntropy.filterNoGroupAbove(GroupEntropy.lape(probabilities), probabilities, filterValue)));
    double[] flat = LanguageProbabilities.flatten(entropy);
    int count = LanguageProbabilities.pythonRound(flat.length * options.topRate());
    if (count < 1) {
      throw new NeuriteException(where + ": top_rate " + options.topRate() + " of " + flat.length + " units selects"
          + " none (round(" + flat.length + " x " + options.topRate() + ") = 0); give a rate of at least "
          + String.format(java.util.Locale.ROOT, "%.3g", 0.5 / flat.length) + ".");
    }
    List<Unit> selected = new ArrayList<>();
    for (int i : LanguageProbabilities.lowest(flat, count)) {
      selected.add(p.units().get(i));
    }
    double bar = GroupEntropy.activationBar(options.barRatio(), p.sites());
    List<NeuronSet.Member> members = new ArrayList<>();
    for (int k = 0; k < p.languages().size(); k++) {
      for (Unit unit : selected.stream().sorted().toList()) {
        double value = p.byHook().get(unit.hook())[k][unit.index()];
        if (value > bar) {
          members.add(new NeuronSet.Member(unit, value, p.languages().get(k)));
        }
      }
    }
    return new Result(filterValue, bar, entropy, selected, new NeuronSet("lape", "active_probability", members));
  }

  private static void check(double rate, String name, String where) {
    if (!(rate > 0 && rate <= 1)) {
      throw new NeuriteException(where + ": " + name + " is " + rate + "; give a fraction in (0, 1], e.g. "
          + (name.equals("top_rate") ? "0.01" : "0.95") + ".");
    }
  }
}
