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

  @Test
  void relationNeuronsOfATrainedTinyLlamaCostTheirRelationsFactsAsTheReferenceSays() throws Exception {
    Path reference = Path.of("../../plugins/org.neurite.methods.knowledge/src/test/resources/reference/relation")
        .toAbsolutePath().normalize();
    JsonObject expected = json(reference.resolve("relation_expected.json"));
    Files.createDirectories(workspace.resolve("datasets"));
    StringBuilder detect = new StringBuilder();
    StringBuilder heldOut = new StringBuilder();
    for (String line : Files.readAllLines(reference.resolve("facts.jsonl"))) {
      JsonObject fact = JsonParser.parseString(line).getAsJsonObject();
      fact.addProperty("prompt", fact.get("prompt").getAsString() + " ");
      (fact.get("split").getAsString().equals("detect") ? detect : heldOut).append(fact).append('\n');
    }
    Files.writeString(workspace.resolve("datasets/facts-detect.jsonl"), detect);
    Files.writeString(workspace.resolve("datasets/facts-eval.jsonl"), heldOut);
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/relation.json",
        "--set", "model=" + reference.resolve("tiny-llama"), "--set", "detect=datasets/facts-detect.jsonl",
        "--set", "evaluate=datasets/facts-eval.jsonl", "--set", "top_k=10", "--set", "negatives_per_positive=0",
        "--set", "prefix_tokens=0");
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("relation workflow: " + l.trim()));
    JsonObject relations = json(workspace.resolve("runs/1/relation/relation.json")).getAsJsonObject("relations");
    JsonObject referenceAp = expected.getAsJsonObject("ap").getAsJsonObject("all_negatives/filtered");
    for (String relation : relations.keySet()) {
      assertEquals(referenceAp.getAsJsonObject(relation).getAsJsonArray("positive_ids").size(),
          relations.getAsJsonObject(relation).get("positives").getAsInt(), relation + ": the known facts");
      double top = relations.getAsJsonObject(relation).getAsJsonArray("top").get(0).getAsJsonObject().get("ap")
          .getAsDouble();
      double want = referenceAp.getAsJsonObject(relation).getAsJsonObject("top").getAsJsonObject("10")
          .getAsJsonArray("ap").get(0).getAsDouble();
      assertEquals(want, top, 1e-6, relation + ": the best unit's AP");
    }
    JsonObject matrix = json(workspace.resolve("runs/1/ablation/effects.json")).getAsJsonObject("matrix");
    var accDeact = expected.getAsJsonObject("evaluation").getAsJsonObject("all_negatives/filtered")
        .getAsJsonArray("acc_deact");
    var names = expected.getAsJsonArray("relations");
    double diagonal = 0;
    double control = 0;
    for (int j = 0; j < names.size(); j++) {
      String ablated = names.get(j).getAsString();
      for (int i = 0; i < names.size(); i++) {
        JsonObject cell = matrix.getAsJsonObject(ablated).getAsJsonObject(names.get(i).getAsString());
        assertEquals(accDeact.get(i).getAsJsonArray().get(j).getAsDouble(), cell.get("targeted").getAsDouble(), 1e-9,
            names.get(i) + " with " + ablated + "'s units zeroed");
      }
      JsonObject own = matrix.getAsJsonObject(ablated).getAsJsonObject(ablated);
      diagonal += own.get("targeted_drop").getAsDouble() / names.size();
      control += own.get("control_drop").getAsDouble() / names.size();
      System.out.printf("zeroing %s's 10 relation units: %s accuracy %.3f -> %.3f (drop %.3f), random control drop"
          + " %.3f%n", ablated, ablated, own.get("base").getAsDouble(), own.get("targeted").getAsDouble(),
          own.get("targeted_drop").getAsDouble(), own.get("control_drop").getAsDouble());
    }
    System.out.printf("relation neurons: mean intra-relation drop %.3f, its random controls' %.3f%n", diagonal, control);
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("relation.neurons"), shown::toString);
    assertTrue(shown.out().contains("  group capital: "), shown::toString);
  }

  @Test
  void knowledgeNeuronsOfATrainedTinyLlamaAreTheReferencesAndRemovingThemCostsTheirAnswers() throws Exception {
    Path reference = Path.of("../../plugins/org.neurite.methods.knowledge/src/test/resources/reference/knowledge")
        .toAbsolutePath().normalize();
    JsonObject expected = json(reference.resolve("knowledge_expected.json"));
    long started = System.nanoTime();
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/knowledge.json",
        "--set", "model=" + reference.resolve("tiny-llama"), "--set", "dataset=" + reference.resolve("facts.jsonl"));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED") || l.contains("knowledge"))
        .forEach(l -> System.out.println("knowledge workflow: " + l.trim()));
    JsonObject relations = json(workspace.resolve("runs/1/knowledge/knowledge.json")).getAsJsonObject("relations");
    for (JsonElement e : expected.getAsJsonArray("relations")) {
      JsonObject want = e.getAsJsonObject();
      String name = want.get("relation").getAsString();
      JsonObject got = relations.getAsJsonObject(name);
      assertEquals(want.get("p_used").getAsDouble(), got.get("p").getAsDouble(), 0.0, name + ": p");
      assertEquals(want.getAsJsonArray("relation_neurons").size(), got.getAsJsonArray("relation_neurons").size(),
          name + ": relation neurons");
    }
    for (String step : new String[] {"remove", "enhance"}) {
      JsonObject matrix = json(workspace.resolve("runs/1/" + step + "/effects.json")).getAsJsonObject("matrix");
      for (String relation : matrix.keySet()) {
        JsonObject own = matrix.getAsJsonObject(relation).getAsJsonObject(relation);
        System.out.printf("%s %s's relation neurons: P(answer) %.3f -> %.3f, random control %.3f%n", step, relation,
            own.get("base").getAsDouble(), own.get("targeted").getAsDouble(), own.get("control").getAsDouble());
        if (step.equals("remove")) {
          double drop = own.get("base").getAsDouble() - own.get("targeted").getAsDouble();
          double controlDrop = own.get("base").getAsDouble() - own.get("control").getAsDouble();
          assertTrue(drop > 2 * Math.abs(controlDrop), relation + ": removing costs more than its control");
        }
      }
    }
    System.out.printf("knowledge workflow on the tiny Llama (216 prompts, 2 layers, 20 IG steps): %.1f s with the"
        + " platform's start%n", seconds);
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("knowledge.neurons"), shown::toString);
    assertTrue(shown.out().contains("  group capital: "), shown::toString);
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
