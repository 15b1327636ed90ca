package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed methods' ready workflows (workspace-template/workflows/methods/), run as a user runs
 * them on the shipped MiniLM and the shipped sentences, and their results shown by {@code neurons}.
 */
class MethodsIT {
  @TempDir Path workspace;

  @Test
  void lapeFindsLanguageNeuronsWhoseAblationHitsTheirLanguageMoreThanItsControl() throws Exception {
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/lape.json");
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("lape workflow: " + l.trim()));
    JsonObject report = json(workspace.resolve("runs/1/lape/lape.json"));
    int selected = report.getAsJsonArray("selected").size();
    assertEquals(Math.rint(6 * 1536 * 0.01), selected, "LAPE keeps round(1% of 6 x 1536) units");
    Set<String> languages = new HashSet<>();
    for (JsonElement e : report.getAsJsonArray("selected")) {
      e.getAsJsonObject().getAsJsonArray("languages").forEach(l -> languages.add(l.getAsString()));
    }
    assertEquals(Set.of("en", "fr", "de", "es"), languages, "every language has units");
    System.out.printf("LAPE on MiniLM: %d units, filter value %.4f, activation bar %.4f; per language %s%n", selected,
        report.get("filter_value").getAsDouble(), report.get("activation_bar").getAsDouble(),
        report.getAsJsonObject("per_language"));
    JsonObject matrix = json(workspace.resolve("runs/1/ablation/effects.json")).getAsJsonObject("matrix");
    for (String ablated : matrix.keySet()) {
      JsonObject own = matrix.getAsJsonObject(ablated).getAsJsonObject(ablated);
      double targeted = own.get("targeted").getAsDouble();
      double control = own.get("control").getAsDouble();
      System.out.printf("zeroing %s's LAPE units: %s embeddings shift %.4f, random control %.4f%n", ablated, ablated,
          targeted, control);
      assertTrue(targeted > control, ablated + ": targeted " + targeted + " vs its random control " + control);
    }
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("neuron set lape (active_probability)  lape.neurons"), shown::toString);
    assertTrue(shown.out().contains("  group fr: "), shown::toString);
  }

  @Test
  void languageClassesSortTheSelectedUnitsWithLambdaSearched() throws Exception {
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/language-classes.json");
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("classes workflow: " + l.trim()));
    JsonObject report = json(workspace.resolve("runs/1/classes/classes.json"));
    double lambda = report.get("lambda").getAsDouble();
    assertTrue(report.get("lambda_searched").getAsBoolean());
    assertTrue(lambda >= 0 && lambda <= 0.2, "lambda in the authors' range: " + lambda);
    int general = 0;
    int total = 0;
    for (JsonElement e : report.getAsJsonArray("units")) {
      total++;
      general += e.getAsJsonObject().get("class").getAsString().equals("general") ? 1 : 0;
    }
    assertEquals(Math.rint(6 * 1536 * 0.01), total);
    assertEquals(0, general, "the searched lambda leaves no general unit among the selected");
    System.out.printf("language classes on MiniLM (response tokens): lambda %.4f, tau %.4f, %s%n", lambda,
        report.get("tau").getAsDouble(), report.getAsJsonObject("per_class"));
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("neuron set language-classes"), shown::toString);
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
