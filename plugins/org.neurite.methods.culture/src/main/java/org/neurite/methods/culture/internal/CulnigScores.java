package org.neurite.methods.culture.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.UnitScores;

/**
 * The three score tables CULNIG reads, each from an {@code attribute} step (grad_x_act, target
 * answer, pooling max, weight_by_probability, normalise dataset): per hook point and country,
 * {@code Σ_{i∈c} s_i / N} over BLEnD, over its control set (clip_negative) and over CountryRC. The
 * units CULNIG selects from are the outputs of gate_proj ({@code mlp.hook_pre}) and of q/k/v_proj
 * ({@code attn.hook_q/k/v}); up_proj ({@code mlp.hook_pre_linear}) is scored by the authors but
 * never selected, so it is passed over here.
 *
 * @param countries BLEnD's countries, in the order of its scores
 * @param mlp the gate_proj hook points, in model order
 * @param attention the q/k/v hook points, in model order
 */
record CulnigScores(UnitScores blend, UnitScores control, UnitScores countryRc, List<String> countries,
    List<String> mlp, List<String> attention) {

  static boolean isMlp(String hook) {
    return hook.endsWith("mlp.hook_pre");
  }

  static boolean isAttention(String hook) {
    return hook.endsWith("attn.hook_q") || hook.endsWith("attn.hook_k") || hook.endsWith("attn.hook_v");
  }

  /**
   * @throws NeuriteException if BLEnD has no gate_proj scores, or the control set or CountryRC lacks
   *     a hook point BLEnD has, or the control set lacks a country
   */
  static CulnigScores of(UnitScores blend, UnitScores control, UnitScores countryRc, String where) {
    List<String> mlp = new ArrayList<>();
    List<String> attention = new ArrayList<>();
    for (String hook : blend.hooks()) {
      if (isMlp(hook)) {
        mlp.add(hook);
      } else if (isAttention(hook)) {
        attention.add(hook);
      }
    }
    if (mlp.isEmpty()) {
      throw new NeuriteException(where + ": the blend scores have no gate_proj outputs (hook points "
          + blend.hooks() + "); score hooks [\"blocks.*.mlp.hook_pre\", \"blocks.*.attn.hook_q\","
          + " \"blocks.*.attn.hook_k\", \"blocks.*.attn.hook_v\"] in the attribute step.");
    }
    List<String> countries = blend.groups();
    for (String hook : concat(mlp, attention)) {
      for (UnitScores other : new UnitScores[] {control, countryRc}) {
        String name = other == control ? "control" : "countryrc";
        if (!other.scores().containsKey(hook)) {
          throw new NeuriteException(where + ": the " + name + " scores have no hook point " + hook + ", which the blend"
              + " scores have; score the same hooks in every attribute step.");
        }
        if (other.units(hook) != blend.units(hook)) {
          throw new NeuriteException(where + ": " + hook + " has " + other.units(hook) + " units in the " + name
              + " scores and " + blend.units(hook) + " in the blend scores; score one model.");
        }
      }
      for (String country : countries) {
        if (control.of(hook, country).isEmpty()) {
          throw new NeuriteException(where + ": the control set has no examples of country '" + country + "' (its"
              + " countries: " + control.groups() + "); give every BLEnD country its control questions.");
        }
      }
    }
    return new CulnigScores(blend, control, countryRc, countries, List.copyOf(mlp), List.copyOf(attention));
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Culture-general: {@code S(n) = Σ_c blend_c(n) − Σ_c control_c(n)} (every country of each set),
   * at the given hook points.
   */
  UnitScores general(List<String> hooks) {
    Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
    for (String hook : hooks) {
      double[] s = new double[blend.units(hook)];
      add(s, blend, hook, blend.groups(), 1);
      add(s, control, hook, control.groups(), -1);
      out.put(hook, Map.of("general", floats(s)));
    }
    return new UnitScores("culnig", out);
  }

  /** Culture-specific: {@code S_c(n) = blend_c(n) − control_c(n)}, one group per country. */
  UnitScores perCountry(List<String> hooks) {
    Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
    for (String hook : hooks) {
      Map<String, float[]> byCountry = new LinkedHashMap<>();
      for (String country : countries) {
        double[] s = new double[blend.units(hook)];
        add(s, blend, hook, List.of(country), 1);
        add(s, control, hook, List.of(country), -1);
        byCountry.put(country, floats(s));
      }
      out.put(hook, byCountry);
    }
    return new UnitScores("culnig", out);
  }

  /** CountryRC summed over its countries ({@code group} "countryrc"), or one country's. */
  UnitScores countryRc(List<String> hooks, String country, String where) {
    Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
    for (String hook : hooks) {
      double[] s = new double[countryRc.units(hook)];
      if (country == null) {
        add(s, countryRc, hook, countryRc.groups(), 1);
      } else if (countryRc.of(hook, country).isEmpty()) {
        throw new NeuriteException(where + ": CountryRC has no passages of country '" + country + "' (its countries: "
            + countryRc.groups() + "); the culture-specific selection excludes each country's CountryRC units, so give"
            + " it passages, or leave the country out of countries.");
      } else {
        add(s, countryRc, hook, List.of(country), 1);
      }
      out.put(hook, Map.of("countryrc", floats(s)));
    }
    return new UnitScores("countryrc", out);
  }

  private static void add(double[] into, UnitScores scores, String hook, List<String> groups, int sign) {
    for (String group : groups) {
      float[] v = scores.scores().get(hook).get(group);
      for (int u = 0; u < into.length; u++) {
        into[u] += sign * (double) v[u];
      }
    }
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
