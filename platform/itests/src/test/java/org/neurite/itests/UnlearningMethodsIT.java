package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skill-unlearning workflows (workspace-template/workflows/methods/neuron-adjust.json and
 * ksd.json) run through {@code ./neurite run} on the unlearning reference's tiny Llama (trained on
 * arithmetic and copying) and the shipped datasets/skills.jsonl, and their results shown by
 * {@code neurons}.
 */
class UnlearningMethodsIT {
  private static final Path TINY = Path.of(
      "../../plugins/org.neurite.methods.unlearning/src/test/resources/reference/tiny-llama").toAbsolutePath().normalize();

  @TempDir Path workspace;

  @Test
  void neuronAdjustRunsEndToEndAndReportsTheRelativeDrops() throws Exception {
    long started = System.nanoTime();
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/neuron-adjust.json",
        "--set", "model=" + TINY, "--set", "top_rate=0.1");
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(0, run.exitCode(), run::toString);
    JsonObject report = json(workspace.resolve("runs/1/adjust/neuron_adjust.json"));
    assertEquals(20, report.get("selected").getAsInt(), report::toString);
    JsonObject skills = json(workspace.resolve("runs/1/drop/drops.json")).getAsJsonObject("skills");
    assertTrue(skills.has("arithmetic") && skills.has("copy"), skills::toString);
    assertTrue(skills.getAsJsonObject("arithmetic").get("forgotten").getAsBoolean());
    System.out.printf("neuron-adjust workflow (%.1f s): %s%n", seconds, skills);
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("adjust.neurons"), shown::toString);
  }

  @Test
  void keySpaceDetectionAbstainsOnTheForgottenSkill() throws Exception {
    long started = System.nanoTime();
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/ksd.json", "--set", "model=" + TINY);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(0, run.exitCode(), run::toString);
    JsonObject ksd = json(workspace.resolve("runs/1/ksd/ksd.json"));
    assertEquals(3.71420755982399, ksd.get("k").getAsDouble(), 1e-4, "k* of the reference");
    assertEquals(1.0, ksd.getAsJsonObject("flagged").get("arithmetic").getAsDouble(), ksd::toString);
    assertEquals(0.0, ksd.getAsJsonObject("flagged").get("copy").getAsDouble(), ksd::toString);
    String generations = Files.readString(workspace.resolve("runs/1/unlearned/generations.jsonl"));
    assertTrue(generations.contains("\"finish_reason\":\"abstained:ksd\"")
        && generations.contains("Sorry, your query is not valid"), generations);
    JsonObject skills = json(workspace.resolve("runs/1/drop/drops.json")).getAsJsonObject("skills");
    JsonObject arithmetic = skills.getAsJsonObject("arithmetic");
    if (arithmetic.get("base").getAsDouble() > 0) {
      assertEquals(1.0, arithmetic.get("drop").getAsDouble(), 1e-12, skills::toString);
    }
    assertEquals(0.0, skills.getAsJsonObject("copy").get("unlearned").getAsDouble()
        - skills.getAsJsonObject("copy").get("base").getAsDouble(), 1e-12, skills::toString);
    System.out.printf("ksd workflow (%.1f s): %s%n", seconds, skills);
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("ksd.scores"), shown::toString);
  }

  @Test
  void anUnknownForgetSkillIsOneClearMessage() throws Exception {
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/ksd.json", "--set", "model=" + TINY,
        "--set", "forget=algebra");
    assertTrue(run.exitCode() != 0, run::toString);
    assertTrue((run.out() + run.err()).contains("Step ksd: no probe query has skill 'algebra' (the skills are"
        + " [arithmetic, copy]); give forget one of them, and group_by the dataset's skill field."), run::toString);
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
