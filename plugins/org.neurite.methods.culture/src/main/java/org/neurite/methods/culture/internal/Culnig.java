package org.neurite.methods.culture.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.contrast.ZScores;
import org.neurite.analysis.select.Selection;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.UnitScores;

/**
 * CULNIG (Yamamoto, Kumon, Bollegala, Yanaka, ICLR 2026; METHODS.md A1), the selection as the
 * authors' {@code decide_culture_general_neurons.py} and {@code decide_culture_specific_neuron.py}
 * make it from the scores of {@link CulnigScores}:
 *
 * <ol>
 *   <li>culture-general: {@code S(n) = Σ blend/N − Σ control/N}; the top {@code int(U·mlp_rate)}
 *       gate_proj units and the top {@code int(U·attention_rate)} q/k/v units (q, k and v ranked
 *       together), less every unit among CountryRC's top {@code countryrc_mlp_rate} gate_proj and
 *       top {@code countryrc_attention_rate} q/k/v units (CountryRC summed over its countries);
 *   <li>culture-specific, for each country c: {@code S_c(n) = blend_c/N − control_c/N} with
 *       gate_proj and q/k/v ranked together; the top {@code int(U·country_rate)}, less c's top
 *       {@code country_countryrc_rate} CountryRC units (gate and q/k/v together), keeping a unit
 *       only if the z-score of its {@code S_c} over every country (population std) is at least
 *       {@code zscore_threshold}.
 * </ol>
 *
 * Sizes are {@code int(U·rate)} (floored, as the authors' code; 0 selects none); ties go in model
 * order.
 */
final class Culnig {
  private Culnig() {}

  /** The rates and threshold; {@link #AUTHORS} are the authors' code's constants. */
  record Options(double mlpRate, double attentionRate, double countryRcMlpRate, double countryRcAttentionRate,
      double countryRate, double countryCountryRcRate, double zscoreThreshold, List<String> countries) {
    static final Options AUTHORS = new Options(0.01, 0.002, 0.01, 0.01, 0.003, 0.01, 0.5, List.of());
  }

  /**
   * What CULNIG found.
   *
   * @param neurons members of group {@code general} and of each country
   * @param scores {@code S} (group general) and {@code S_c} (a group per country) at the gate and
   *     q/k/v hook points
   * @param excluded per group, how many top units CountryRC removed; for countries also how many the
   *     z-score filter removed (key {@code zscore:COUNTRY})
   */
  record Result(NeuronSet neurons, UnitScores scores, Map<String, Integer> excluded) {}

  static Result run(CulnigScores s, Options o, String where) {
    for (double rate : new double[] {o.mlpRate(), o.attentionRate(), o.countryRcMlpRate(), o.countryRcAttentionRate(),
        o.countryRate(), o.countryCountryRcRate()}) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new NeuriteException(where + ": every rate must be in [0, 1] (the authors': mlp_rate 0.01, attention_rate"
            + " 0.002, countryrc rates 0.01, country_rate 0.003); got " + rate + ".");
      }
    }
    List<String> countries = o.countries().isEmpty() ? s.countries() : o.countries();
    for (String c : countries) {
      if (!s.countries().contains(c)) {
        throw new NeuriteException(where + ": country '" + c + "' has no BLEnD examples; the countries are "
            + s.countries() + ".");
      }
    }
    if (s.countries().size() < 2) {
      throw new NeuriteException(where + ": the z-score filter compares countries, and the blend scores have only "
          + s.countries() + "; give the dataset's country field as group_by, with at least two countries.");
    }
    List<String> pooled = CulnigScores.concat(s.mlp(), s.attention());
    List<NeuronSet.Member> members = new ArrayList<>();
    Map<String, Integer> excluded = new LinkedHashMap<>();

    UnitScores general = s.general(pooled);
    NeuronSet top = top(general, s.mlp(), "general", o.mlpRate(), where)
        .union(top(general, s.attention(), "general", o.attentionRate(), where));
    UnitScores rc = s.countryRc(pooled, null, where);
    NeuronSet rcTop = top(rc, s.mlp(), "countryrc", o.countryRcMlpRate(), where)
        .union(top(rc, s.attention(), "countryrc", o.countryRcAttentionRate(), where));
    NeuronSet kept = top.excludingUnits(rcTop);
    excluded.put("general", top.members().size() - kept.members().size());
    members.addAll(kept.members());

    UnitScores perCountry = s.perCountry(pooled);
    double[][] byCountry = new double[s.countries().size()][];
    for (int g = 0; g < byCountry.length; g++) {
      byCountry[g] = flat(perCountry, pooled, s.countries().get(g));
    }
    double[][] z = ZScores.acrossGroups(byCountry, 0);
    Map<String, Integer> offsets = offsets(perCountry, pooled);
    for (String c : countries) {
      NeuronSet chosen = top(perCountry, pooled, c, o.countryRate(), where);
      NeuronSet rcCountry = top(s.countryRc(pooled, c, where), pooled, "countryrc", o.countryCountryRcRate(), where);
      NeuronSet outside = chosen.excludingUnits(rcCountry);
      double[] zc = z[s.countries().indexOf(c)];
      List<NeuronSet.Member> specific = outside.members().stream()
          .filter(m -> zc[offsets.get(m.unit().hook()) + m.unit().index()] >= o.zscoreThreshold()).toList();
      excluded.put(c, chosen.members().size() - outside.members().size());
      excluded.put("zscore:" + c, outside.members().size() - specific.size());
      members.addAll(specific);
    }
    Map<String, Map<String, float[]>> scores = new LinkedHashMap<>();
    for (String hook : pooled) {
      Map<String, float[]> byGroup = new LinkedHashMap<>();
      byGroup.put("general", general.scores().get(hook).get("general"));
      perCountry.scores().get(hook).forEach(byGroup::put);
      scores.put(hook, byGroup);
    }
    return new Result(new NeuronSet("culnig", "culnig", members), new UnitScores("culnig", scores), excluded);
  }

  /** The top {@code int(U·rate)} units of a group over some hook points (U: their units); none for 0. */
  static NeuronSet top(UnitScores scores, List<String> hooks, String group, double rate, String where) {
    if (hooks.isEmpty()) {
      return new NeuronSet("none", scores.statistic(), List.of());
    }
    Map<String, Map<String, float[]>> only = new LinkedHashMap<>();
    int units = 0;
    for (String hook : hooks) {
      only.put(hook, Map.of(group, scores.scores().get(hook).get(group)));
      units += scores.units(hook);
    }
    int k = (int) (units * rate);
    if (k == 0) {
      return new NeuronSet("none", scores.statistic(), List.of());
    }
    return new Selection(new UnitScores(scores.statistic(), only), where).topK(group, k);
  }

  private static double[] flat(UnitScores scores, List<String> hooks, String group) {
    int total = hooks.stream().mapToInt(scores::units).sum();
    double[] out = new double[total];
    int at = 0;
    for (String hook : hooks) {
      for (float v : scores.scores().get(hook).get(group)) {
        out[at++] = v;
      }
    }
    return out;
  }

  /** Where each hook point's units start in {@link #flat}. */
  private static Map<String, Integer> offsets(UnitScores scores, List<String> hooks) {
    Map<String, Integer> out = new LinkedHashMap<>();
    int at = 0;
    for (String hook : hooks) {
      out.put(hook, at);
      at += scores.units(hook);
    }
    return out;
  }
}
