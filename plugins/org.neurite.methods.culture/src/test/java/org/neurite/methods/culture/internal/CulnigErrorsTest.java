package org.neurite.methods.culture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;

/** Each kind of bad input to neurons.culnig, with its message; and the selection rules on hand-made scores. */
class CulnigErrorsTest {
  private static UnitScores scores(List<String> hooks, List<String> groups, float... values) {
    Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
    for (String hook : hooks) {
      Map<String, float[]> byGroup = new LinkedHashMap<>();
      for (int g = 0; g < groups.size(); g++) {
        float[] v = values.clone();
        for (int u = 0; u < v.length; u++) {
          v[u] *= g + 1;
        }
        byGroup.put(groups.get(g), v);
      }
      out.put(hook, byGroup);
    }
    return new UnitScores("grad_x_act/answer", out);
  }

  private static final List<String> HOOKS = List.of("blocks.0.mlp.hook_pre", "blocks.0.attn.hook_q");
  private static final List<String> COUNTRIES = List.of("x", "y");

  @Test
  void scoresWithoutGateProjectionsAreRefusedWithTheHooksToScore() {
    UnitScores up = scores(List.of("blocks.0.mlp.hook_pre_linear"), COUNTRIES, 1, 2);
    NeuriteException e = assertThrows(NeuriteException.class, () -> CulnigScores.of(up, up, up, "Step culnig"));
    assertEquals("Step culnig: the blend scores have no gate_proj outputs (hook points [blocks.0.mlp.hook_pre_linear]);"
        + " score hooks [\"blocks.*.mlp.hook_pre\", \"blocks.*.attn.hook_q\", \"blocks.*.attn.hook_k\","
        + " \"blocks.*.attn.hook_v\"] in the attribute step.", e.getMessage());
  }

  @Test
  void aControlSetWithoutACountryIsRefused() {
    UnitScores blend = scores(HOOKS, COUNTRIES, 1, 2);
    UnitScores control = scores(HOOKS, List.of("x"), 1, 2);
    NeuriteException e = assertThrows(NeuriteException.class, () -> CulnigScores.of(blend, control, blend, "Step c"));
    assertEquals("Step c: the control set has no examples of country 'y' (its countries: [x]); give every BLEnD"
        + " country its control questions.", e.getMessage());
  }

  @Test
  void scoresOfAnotherHookPointOrModelAreRefused() {
    UnitScores blend = scores(HOOKS, COUNTRIES, 1, 2);
    UnitScores narrow = scores(HOOKS, COUNTRIES, 1);
    NeuriteException e = assertThrows(NeuriteException.class, () -> CulnigScores.of(blend, blend, narrow, "Step c"));
    assertEquals("Step c: blocks.0.mlp.hook_pre has 1 units in the countryrc scores and 2 in the blend scores; score"
        + " one model.", e.getMessage());
  }

  @Test
  void anUnknownCountryAndARateOutsideZeroToOneAreRefused() {
    UnitScores s = scores(HOOKS, COUNTRIES, 1, 2);
    CulnigScores scores = CulnigScores.of(s, s, s, "Step c");
    NeuriteException e = assertThrows(NeuriteException.class, () -> Culnig.run(scores, new Culnig.Options(0.01, 0.002,
        0.01, 0.01, 0.003, 0.01, 0.5, List.of("z")), "Step c"));
    assertEquals("Step c: country 'z' has no BLEnD examples; the countries are [x, y].", e.getMessage());
    e = assertThrows(NeuriteException.class, () -> Culnig.run(scores, new Culnig.Options(1.5, 0.002, 0.01, 0.01,
        0.003, 0.01, 0.5, List.of()), "Step c"));
    assertEquals("Step c: every rate must be in [0, 1] (the authors': mlp_rate 0.01, attention_rate 0.002, countryrc"
        + " rates 0.01, country_rate 0.003); got 1.5.", e.getMessage());
  }

  @Test
  void aCountryWithoutCountryRcPassagesIsRefused() {
    UnitScores s = scores(HOOKS, COUNTRIES, 1, 2);
    CulnigScores scores = CulnigScores.of(s, scores(HOOKS, COUNTRIES, 0, 0), scores(HOOKS, List.of("x"), 1, 2), "c");
    NeuriteException e = assertThrows(NeuriteException.class, () -> Culnig.run(scores, new Culnig.Options(0.5, 0.5,
        0.5, 0.5, 0.5, 0.5, 0.5, List.of()), "Step c"));
    assertEquals("Step c: CountryRC has no passages of country 'y' (its countries: [x]); the culture-specific selection"
        + " excludes each country's CountryRC units, so give it passages, or leave the country out of countries.",
        e.getMessage());
  }

  @Test
  void sizesAreFlooredAndCountryRcUnitsLeaveTheGeneralSet() {
    // gate units 0..3 with S = 4, 3, 2, 1 (blend) - 0 (control); CountryRC's top gate unit is unit 0
    UnitScores blend = scores(List.of("blocks.0.mlp.hook_pre"), COUNTRIES, 4, 3, 2, 1);
    UnitScores control = scores(List.of("blocks.0.mlp.hook_pre"), COUNTRIES, 0, 0, 0, 0);
    UnitScores rc = scores(List.of("blocks.0.mlp.hook_pre"), COUNTRIES, 9, 0, 0, 0);
    Culnig.Result r = Culnig.run(CulnigScores.of(blend, control, rc, "t"), new Culnig.Options(0.74, 0, 0.25, 0,
        0.24, 0, 0.5, List.of()), "t");
    // int(4 x 0.74) = 2 units {0, 1}, less CountryRC's int(4 x 0.25) = 1 unit {0}; int(4 x 0.24) = 0 per country
    assertEquals(List.of(new Unit("blocks.0.mlp.hook_pre", 1)), r.neurons().units("general"));
    assertEquals(1, r.excluded().get("general"));
    assertEquals(List.of(), r.neurons().units("x"));
    assertEquals(List.of("general"), r.neurons().groups());
    assertEquals(12f, r.scores().score(new Unit("blocks.0.mlp.hook_pre", 0), "general"), 0f, "S = 4 + 8 - 0");
    NeuronSet none = Culnig.top(blend, List.of("blocks.0.mlp.hook_pre"), "x", 0.2, "t");
    assertEquals(0, none.members().size(), "int(4 x 0.2) = 0 selects none");
  }
}
