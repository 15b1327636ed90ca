package org.neurite.methods.language.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.contrast.EntropyNormalisation;
import org.neurite.analysis.contrast.GroupEntropy;
import org.neurite.analysis.select.ParameterSearch;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;

/**
 * Language-specific, language-related and general neurons (METHODS.md A5, "How does Alignment
 * Enhance LLMs' Multilingual Capabilities? A Language Neurons Perspective"), from per-language
 * activation probabilities of response tokens:
 *
 * <ol>
 *   <li>score = entropy of the normalised probabilities minus λ times the largest probability, in the
 *       authors' code's normalisation ({@code H/ln l − λ·max p / (H_l/l)}) or the paper's Eq. 5;
 *   <li>the {@code round(U·top_rate)} units of lowest score;
 *   <li>τ, the {@code round(N·bar_ratio)}-th smallest of all probabilities; N = the number of
 *       languages above τ: N = 1 specific, 1 &lt; N &lt; l related, N = l general;
 *   <li>λ, unless given, by the authors' bisection ({@code autosweep.py}) for the largest value in
 *       [lo, hi] at which no selected unit is general ({@link ParameterSearch#bisectAsAutosweep}).
 * </ol>
 */
final class LanguageClasses {
  /** The authors' autosweep stops after this many bisection steps (it reaches eps long before). */
  static final int MAX_SWEEP_STEPS = 64;

  private LanguageClasses() {}

  /** The parameters; λ NaN means "search it". */
  record Options(double topRate, double barRatio, double lambda, double lambdaLow, double lambdaHigh,
      double lambdaEps, EntropyNormalisation normalisation) {}

  /** A selected unit, its class and the languages above τ. */
  record Classified(Unit unit, String kind, List<String> languages, double score) {}

  /**
   * @param neurons members named {@code specific:LANG}, {@code related:LANG} (one per language above
   *     τ) and {@code general}
   */
  record Result(double lambda, boolean searched, double tau, List<Classified> units, NeuronSet neurons) {
    /** How many selected units each hook point holds of a kind. */
    Map<String, Integer> perHook(String kind) {
      Map<String, Integer> counts = new java.util.TreeMap<>(java.util.Comparator.comparing((String h) -> new Unit(h, 0)));
      for (Classified c : units) {
        counts.merge(c.unit().hook(), c.kind().equals(kind) ? 1 : 0, Integer::sum);
      }
      return counts;
    }

    long count(String kind) {
      return units.stream().filter(c -> c.kind().equals(kind)).count();
    }
  }

  static Result run(LanguageProbabilities p, Options options, String where) {
    if (!(options.topRate() > 0 && options.topRate() <= 1) || !(options.barRatio() > 0 && options.barRatio() <= 1)) {
      throw new NeuriteException(where + ": top_rate and bar_ratio must be in (0, 1] (e.g. 0.01 and 0.95); got "
          + options.topRate() + " and " + options.barRatio() + ".");
    }
    double tau = GroupEntropy.activationBar(options.barRatio(), p.sites());
    int count = LanguageProbabilities.pythonRound(p.units().size() * options.topRate());
    if (count < 1) {
      throw new NeuriteException(where + ": top_rate " + options.topRate() + " of " + p.units().size()
          + " units selects none; give a larger rate.");
    }
    int[] above = new int[p.units().size()];
    for (int i = 0; i < above.length; i++) {
      for (int k = 0; k < p.languages().size(); k++) {
        above[i] += p.p(k, i) > tau ? 1 : 0;
      }
    }
    int l = p.languages().size();
    boolean searched = Double.isNaN(options.lambda());
    double lambda = options.lambda();
    if (searched) {
      if (!(options.lambdaLow() >= 0 && options.lambdaHigh() > options.lambdaLow() && options.lambdaEps() > 0)) {
        throw new NeuriteException(where + ": the λ search needs 0 <= lambda_low < lambda_high and lambda_eps > 0;"
            + " got [" + options.lambdaLow() + ", " + options.lambdaHigh() + "] and " + options.lambdaEps() + ".");
      }
      lambda = ParameterSearch.bisectAsAutosweep(options.lambdaLow(), options.lambdaHigh(), options.lambdaEps(),
          MAX_SWEEP_STEPS, x -> {
            for (int i : select(p, x, options.normalisation(), count)) {
              if (above[i] == l) {
                return false;
              }
            }
            return true;
          });
      if (Double.isNaN(lambda)) {
        throw new NeuriteException(where + ": no lambda in [" + options.lambdaLow() + ", " + options.lambdaHigh()
            + "] leaves the lowest " + count + " units without a general one (active in all " + l + " languages);"
            + " give a smaller top_rate, a wider range, or lambda with search_lambda false.");
      }
    } else if (!(lambda >= 0)) {
      throw new NeuriteException(where + ": lambda is " + lambda + "; give a weight >= 0, or leave it out to search it.");
    }
    double[] scores = scores(p, lambda, options.normalisation());
    List<Classified> units = new ArrayList<>();
    List<NeuronSet.Member> members = new ArrayList<>();
    for (int i : select(p, lambda, options.normalisation(), count)) {
      List<String> languages = new ArrayList<>();
      for (int k = 0; k < l; k++) {
        if (p.p(k, i) > tau) {
          languages.add(p.languages().get(k));
        }
      }
      String kind = above[i] == l ? "general" : above[i] == 1 ? "specific" : above[i] == 0 ? "none" : "related";
      Unit unit = p.units().get(i);
      units.add(new Classified(unit, kind, languages, scores[i]));
      if (kind.equals("general")) {
        members.add(new NeuronSet.Member(unit, scores[i], "general"));
      } else {
        for (String language : languages) {
          members.add(new NeuronSet.Member(unit, scores[i], kind + ":" + language));
        }
      }
    }
    return new Result(lambda, searched, tau, units, new NeuronSet("language-classes", "a5_score("
        + options.normalisation().name().toLowerCase(java.util.Locale.ROOT) + ")", members));
  }

  private static double[] scores(LanguageProbabilities p, double lambda, EntropyNormalisation normalisation) {
    Map<String, double[]> perHook = new LinkedHashMap<>();
    p.byHook().forEach((hook, probabilities) -> perHook.put(hook,
        GroupEntropy.languageNeuronScore(probabilities, lambda, normalisation)));
    return LanguageProbabilities.flatten(perHook);
  }

  private static int[] select(LanguageProbabilities p, double lambda, EntropyNormalisation normalisation, int count) {
    return LanguageProbabilities.lowest(scores(p, lambda, normalisation), count);
  }
}
