package org.neurite.methods.language.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.contrast.EntropyNormalisation;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.api.analysis.Unit;

/**
 * LAPE and A5's classes against the independent PyTorch reference of
 * {@code src/test/resources/reference/lape_reference.py} (written from the authors' code, not from
 * Neurite's): the reference's tiny Llama and datasets run through the real model, statistics and
 * the plugin, in left-padded batches of 4 (the reference runs one sequence at a time, in float64),
 * in float32 and float64.
 */
class LanguageNeuronsReferenceTest {
  @TempDir static Path workspace;
  private static JsonObject expected;
  private static final List<String> LANGUAGES = List.of("xa", "xb", "xc", "xd");
  private static final String[] RATES = {"0.01", "0.05", "0.1"};

  @BeforeAll
  static void read() throws Exception {
    expected = JsonParser.parseString(Files.readString(TinyLanguageModel.REFERENCE.resolve("lape_expected.json")))
        .getAsJsonObject();
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void lapeEqualsTheReference(String dtype) throws Exception {
    JsonObject lape = expected.getAsJsonObject("lape");
    try (TinyLanguageModel tiny = new TinyLanguageModel(workspace.resolve(dtype), dtype)) {
      Map<String, UnitStats> stats = tiny.stats(TinyLanguageModel.examples("languages.jsonl"), LANGUAGES, Positions.ALL,
          4);
      LanguageProbabilities p = LanguageProbabilities.of(stats, "test");
      for (int k = 0; k < LANGUAGES.size(); k++) {
        assertEquals(lape.getAsJsonObject("token_counts").get(LANGUAGES.get(k)).getAsLong(),
            stats.values().iterator().next().count(k), LANGUAGES.get(k) + " tokens");
      }
      assertProbabilities(lape.getAsJsonArray("activation_probs"), p);
      for (String rate : RATES) {
        JsonObject selection = lape.getAsJsonObject("selections").getAsJsonObject(rate);
        Lape.Result result = Lape.run(p, new Lape.Options(Double.parseDouble(rate), 0.95, 0.95), "test");
        assertEquals(lape.getAsJsonObject("filter").get("top_prob_value").getAsDouble(), result.filterValue(), 1e-15);
        assertEquals(lape.getAsJsonObject("activation_bar").get("value").getAsDouble(), result.activationBar(), 1e-15);
        assertEquals(units(selection.getAsJsonArray("selected_by_rank")), result.selected(), rate + ": by rank");
        JsonArray entropies = selection.getAsJsonArray("selected_entropy_by_rank");
        for (int i = 0; i < entropies.size(); i++) {
          Unit unit = result.selected().get(i);
          assertEquals(entropies.get(i).getAsDouble(), result.entropy().get(unit.hook())[unit.index()], 1e-12);
        }
        JsonArray sorted = selection.getAsJsonArray("selected");
        JsonArray languages = selection.getAsJsonArray("languages");
        for (int i = 0; i < sorted.size(); i++) {
          Unit unit = unit(sorted.get(i));
          List<String> theirs = strings(languages.get(i).getAsJsonArray());
          List<String> ours = result.neurons().members().stream().filter(m -> m.unit().equals(unit))
              .map(m -> m.group()).toList();
          assertEquals(theirs, ours, rate + ": the languages of " + unit);
        }
      }
      // every entropy, and which were filtered
      JsonArray entropy = lape.getAsJsonArray("entropy");
      JsonArray filtered = lape.getAsJsonArray("entropy_set_to_inf");
      Lape.Result all = Lape.run(p, Lape.Options.AUTHORS, "test");
      int infinite = 0;
      for (int l = 0; l < entropy.size(); l++) {
        double[] ours = all.entropy().get(hook(l));
        for (int u = 0; u < ours.length; u++) {
          boolean inf = filtered.get(l).getAsJsonArray().get(u).getAsBoolean();
          infinite += inf ? 1 : 0;
          assertEquals(inf, Double.isInfinite(ours[u]), "filtered " + hook(l) + " " + u);
          if (!inf) {
            assertEquals(entropy.get(l).getAsJsonArray().get(u).getAsDouble(), ours[u], 1e-12);
          }
        }
      }
      assertEquals(lape.get("entropy_set_to_inf_count").getAsInt(), infinite);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void languageClassesEqualTheReference(String dtype) throws Exception {
    JsonObject a5 = expected.getAsJsonObject("a5");
    try (TinyLanguageModel tiny = new TinyLanguageModel(workspace.resolve("a5-" + dtype), dtype)) {
      Map<String, UnitStats> stats = tiny.stats(TinyLanguageModel.examples("languages-response.jsonl"), LANGUAGES,
          Positions.RESPONSE, 4);
      for (int k = 0; k < LANGUAGES.size(); k++) {
        assertEquals(a5.getAsJsonObject("token_counts").getAsJsonObject(LANGUAGES.get(k)).get("response").getAsLong(),
            stats.values().iterator().next().count(k), LANGUAGES.get(k) + " response tokens");
      }
      LanguageProbabilities p = LanguageProbabilities.of(stats, "test");
      assertProbabilities(a5.getAsJsonArray("activation_probs"), p);
      for (String variant : new String[] {"code", "paper_eq5"}) {
        EntropyNormalisation normalisation = variant.equals("code") ? EntropyNormalisation.AUTHORS_CODE
            : EntropyNormalisation.PAPER;
        for (String rate : RATES) {
          JsonObject theirs = a5.getAsJsonObject(variant).getAsJsonObject(rate);
          LanguageClasses.Result result = LanguageClasses.run(p, new LanguageClasses.Options(Double.parseDouble(rate),
              0.95, Double.NaN, 0, 0.2, 1e-3, normalisation), "test");
          String what = variant + " " + rate;
          assertEquals(theirs.get("lambda").getAsDouble(), result.lambda(), 1e-15, what + ": lambda");
          assertEquals(a5.getAsJsonObject("threshold").get("value").getAsDouble(), result.tau(), 1e-15, what + ": tau");
          JsonArray units = theirs.getAsJsonArray("units");
          List<LanguageClasses.Classified> ours = result.units().stream().sorted((x, y) -> x.unit().compareTo(y.unit()))
              .toList();
          assertEquals(units.size(), ours.size(), what + ": selected");
          for (int i = 0; i < units.size(); i++) {
            JsonObject u = units.get(i).getAsJsonObject();
            LanguageClasses.Classified c = ours.get(i);
            assertEquals(new Unit(hook(u.get("layer").getAsInt()), u.get("unit").getAsInt()), c.unit(), what);
            assertEquals(u.get("class").getAsString(), c.kind(), what + ": class of " + c.unit());
            assertEquals(strings(u.getAsJsonArray("languages")), c.languages(), what + ": languages of " + c.unit());
            assertEquals(u.get("score").getAsDouble(), c.score(), 1e-12 * Math.max(1, Math.abs(c.score())), what);
          }
        }
      }
    }
  }

  private static void assertProbabilities(JsonArray theirs, LanguageProbabilities p) {
    double worst = 0;
    for (int l = 0; l < theirs.size(); l++) {
      double[][] ours = p.byHook().get(hook(l));
      JsonArray layer = theirs.get(l).getAsJsonArray();
      for (int u = 0; u < layer.size(); u++) {
        JsonArray perLanguage = layer.get(u).getAsJsonArray();
        for (int k = 0; k < perLanguage.size(); k++) {
          worst = Math.max(worst, Math.abs(perLanguage.get(k).getAsDouble() - ours[k][u]));
        }
      }
    }
    assertTrue(worst <= 1e-15, "activation probabilities differ by " + worst);
  }

  private static String hook(int layer) {
    return "blocks." + layer + ".mlp.hook_pre";
  }

  private static Unit unit(JsonElement pair) {
    return new Unit(hook(pair.getAsJsonArray().get(0).getAsInt()), pair.getAsJsonArray().get(1).getAsInt());
  }

  private static List<Unit> units(JsonArray pairs) {
    List<Unit> out = new ArrayList<>();
    pairs.forEach(p -> out.add(unit(p)));
    return out;
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.getAsString()));
    return out;
  }

}
