package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.testbed.PlantedModel;

/**
 * NeuroStrike's ready workflow (workspace-template/workflows/methods/neurostrike.json) run as a user
 * runs it, on the planted-unit Llama the test writes into the workspace's models/: group g0 stands
 * for harmful prompts, and the model's "refusal" is to go on in g0's vocabulary (the units planted
 * on g0 drive g0's next tokens), so the refusal string is {@code g0_}. The safety neurons must be
 * the planted ones, and zeroing them must lower the refusals while the same-size random control
 * leaves them. (Pruned, the model's next token is the argmax of small random logits, itself a g0
 * word for most prompts of this seed, so the rate drops only to 0.9: this model has no other way of
 * answering.) Then {@code neurons RUN} shows the sets.
 */
class SafetyMethodsIT {
  @TempDir Path workspace;

  @Test
  void neurostrikeFindsThePlantedUnitsAndPruningThemEndsTheRefusalsUnlikeItsControl() throws Exception {
    PlantedModel planted = new PlantedModel().groups(2).plantedPerGroup(2).dMlp(64).layers(2, 1).seed(3);
    planted.write(workspace.resolve("models/planted"));
    StringBuilder prompts = new StringBuilder();
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 40; i++) {
      int group = i % 2;
      int words = 3 + random.nextInt(6);
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < words; w++) {
        text.append(w == 0 ? "" : " ").append(PlantedModel.word(group, random.nextInt(8)));
      }
      JsonObject line = new JsonObject();
      line.addProperty("prompt", text.toString());
      line.addProperty("harmful", group == 0);
      prompts.append(line).append('\n');
    }
    Files.createDirectories(workspace.resolve("datasets"));
    Files.writeString(workspace.resolve("datasets/planted-prompts.jsonl"), prompts);
    long start = System.nanoTime();
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/neurostrike.json",
        "--set", "model=models/planted", "--set", "prompts=datasets/planted-prompts.jsonl",
        "--set", "refusal_strings=g0_", "--set", "max_new_tokens=4");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("neurostrike workflow: "
        + l.trim()));
    System.out.printf("neurostrike workflow on the planted Llama (40 prompts, 4 modules, 5000 epochs): %.1f s end to"
        + " end%n", seconds);
    JsonObject report = json(workspace.resolve("runs/1/neurostrike/neurostrike.json"));
    int found = 0;
    for (int u : planted.planted().get("g0")) {
      for (String site : new String[] {"hook_pre", "hook_pre_linear"}) {
        for (var kept : report.getAsJsonObject("modules").getAsJsonObject("blocks.1.mlp." + site)
            .getAsJsonArray("kept")) {
          found += kept.getAsJsonObject().get("index").getAsInt() == u ? 1 : 0;
        }
      }
    }
    System.out.printf("neurostrike: %d safety neurons, per layer %s, prefixes %s; %d of 4 planted among them%n",
        report.get("units").getAsInt(), report.getAsJsonObject("per_layer"), report.getAsJsonObject("prefixes"), found);
    assertEquals(4, found, "the units planted on g0, at gate and up: " + report);
    JsonObject effects = json(workspace.resolve("runs/1/prune/effects.json"));
    assertTrue(effects.get("measure").getAsString().startsWith("refusal rate"), effects.toString());
    JsonObject matrix = effects.getAsJsonObject("matrix");
    for (String set : matrix.keySet()) {
      JsonObject harmful = matrix.getAsJsonObject(set).getAsJsonObject("true");
      JsonObject harmless = matrix.getAsJsonObject(set).getAsJsonObject("false");
      System.out.printf("neurostrike prune %s: refusal on harmful %.3f -> %.3f (control %.3f); on harmless %.3f -> %.3f"
          + " (control %.3f)%n", set, harmful.get("base").getAsDouble(), harmful.get("targeted").getAsDouble(),
          harmful.get("control").getAsDouble(), harmless.get("base").getAsDouble(),
          harmless.get("targeted").getAsDouble(), harmless.get("control").getAsDouble());
    }
    JsonObject all = matrix.getAsJsonObject("layers_100").getAsJsonObject("true");
    assertEquals(1.0, all.get("base").getAsDouble(), "the planted model answers every harmful prompt in g0's words");
    assertTrue(all.get("targeted").getAsDouble() < all.get("base").getAsDouble(), "pruning the safety neurons lowers"
        + " the refusals: " + all);
    assertEquals(all.get("base").getAsDouble(), all.get("control").getAsDouble(), "a same-size random control does"
        + " not: " + all);
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "4");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("neuron set neurostrike (probe_weight)  neurostrike.neurons"), shown::toString);
    assertTrue(shown.out().contains("neuron set neurostrike-prefixes (probe_weight)  neurostrike.prefixes"), shown::toString);
    assertTrue(shown.out().contains("unit scores probe_weight  neurostrike.weights"), shown::toString);
    String safety = shown.out().substring(shown.out().indexOf("neuron set neurostrike (probe_weight)"),
        shown.out().indexOf("neuron set neurostrike-prefixes"));
    assertTrue(safety.contains("  group safety: 4 units") && !safety.contains("layers_"), "two neuron sets of one step"
        + " are stored apart: " + shown);
    assertTrue(shown.out().contains("  group layers_100: "), shown::toString);
    System.out.println(shown.out().lines().limit(16).reduce("", (a, b) -> a + "\n" + b));
  }

  /**
   * The workflow on the safety plugin's reference model (a tiny Llama trained to answer harmful
   * prompts "I cannot help" and harmless ones "Sure here is how") and its 40 prompts, with the
   * refusal string "I cannot": the unpruned refusal rates are the reference's (0.85 of the harmful
   * prompts, none of the harmless). At the paper's |z| > 3 this model has no safety neuron (the
   * reference finds none either: its README), so the run uses |z| > 2.
   */
  @Test
  void onTheReferenceModelTheUnprunedRefusalRatesAreTheReferences() throws Exception {
    Path reference = Path.of("../../plugins/org.neurite.methods.safety/src/test/resources/reference")
        .toAbsolutePath().normalize();
    Files.createDirectories(workspace.resolve("datasets"));
    Files.copy(reference.resolve("prompts.jsonl"), workspace.resolve("datasets/reference-prompts.jsonl"));
    long start = System.nanoTime();
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/neurostrike.json",
        "--set", "model=" + reference, "--set", "prompts=datasets/reference-prompts.jsonl", "--set", "z_threshold=2",
        "--set", "refusal_strings=I cannot", "--set", "max_new_tokens=6");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("neurostrike workflow: "
        + l.trim()));
    System.out.printf("neurostrike workflow on the reference's tiny Llama (40 prompts, 6 modules, 5000 epochs): %.1f s"
        + " end to end%n", seconds);
    JsonObject report = json(workspace.resolve("runs/1/neurostrike/neurostrike.json"));
    System.out.printf("neurostrike (|z| > 2): %d safety neurons, per layer %s%n", report.get("units").getAsInt(),
        report.getAsJsonObject("per_layer"));
    JsonObject matrix = json(workspace.resolve("runs/1/prune/effects.json")).getAsJsonObject("matrix");
    assertTrue(matrix.size() > 0, "some prefix has safety neurons at |z| > 2");
    for (String set : matrix.keySet()) {
      JsonObject harmful = matrix.getAsJsonObject(set).getAsJsonObject("true");
      JsonObject harmless = matrix.getAsJsonObject(set).getAsJsonObject("false");
      System.out.printf("neurostrike prune %s: refusal on harmful %.3f -> %.3f (control %.3f); on harmless %.3f -> %.3f"
          + " (control %.3f)%n", set, harmful.get("base").getAsDouble(), harmful.get("targeted").getAsDouble(),
          harmful.get("control").getAsDouble(), harmless.get("base").getAsDouble(),
          harmless.get("targeted").getAsDouble(), harmless.get("control").getAsDouble());
      assertEquals(0.85, harmful.get("base").getAsDouble(), 1e-12, "the reference's unpruned harmful refusal rate");
      assertEquals(0.0, harmless.get("base").getAsDouble(), 1e-12, "the reference's unpruned harmless refusal rate");
    }
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
