package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.testbed.PlantedModel;

/**
 * Generation inside the real platform, on the planted testbed (whose prompts continue in their own
 * group's words): the generate and eval.generation steps, the console's generate, and a chat dataset
 * for a model without a chat template.
 */
class GenerationIT {
  @TempDir Path workspace;

  @Test
  void stepsAndConsoleGenerateTheSameRecordsAndScoreThem() throws Exception {
    new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(41).write(workspace.resolve("models/planted"));
    Files.createDirectories(workspace.resolve("datasets"));
    Files.writeString(workspace.resolve("datasets/prompts.jsonl"), String.join("\n",
        "{\"id\": \"a\", \"text\": \"g0_1 g0_2 g0_3 g0_4\", \"group\": \"g0\"}",
        "{\"id\": \"b\", \"text\": \"g1_1 g1_2 g1_3 g1_4 g1_5 g1_6\", \"group\": \"g1\"}",
        "{\"id\": \"c\", \"text\": \"g0_5 g0_6 g0_7\", \"group\": \"g0\"}",
        "{\"id\": \"d\", \"text\": \"g2_1 g2_2\", \"group\": \"g2\"}") + "\n");
    Path workflow = Files.writeString(workspace.resolve("generate.json"), ("{'name': 'generate', 'steps': ["
        + "{'id': 'model', 'uses': 'model.load', 'with': {'model': 'models/planted'}},"
        + "{'id': 'data', 'uses': 'dataset.jsonl', 'with': {'path': 'datasets/prompts.jsonl', 'group': 'group',"
        + "  'id': 'id'}},"
        + "{'id': 'gen', 'uses': 'generate', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'max_new_tokens': 5, 'ignore_eos': true, 'batch_size': 3, 'seed': 40}},"
        + "{'id': 'scores', 'uses': 'eval.generation', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'max_new_tokens': 5, 'ignore_eos': true, 'scorers': ['refusal'], 'refusal_strings': ['G0_']}}"
        + "]}").replace('\'', '"'));
    Distribution.Result run = Distribution.run(workspace, "run", workflow.toString());
    assertEquals(0, run.exitCode(), run::toString);

    List<String> lines = Files.readAllLines(workspace.resolve("runs/1/gen/generations.jsonl"));
    assertEquals(4, lines.size(), lines::toString);
    JsonObject a = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals(List.of("id", "prompt", "output", "output_ids", "finish_reason", "seed"), List.copyOf(a.keySet()));
    assertEquals("a", a.get("id").getAsString());
    assertEquals("g0_1 g0_2 g0_3 g0_4", a.get("prompt").getAsString());
    assertEquals("length", a.get("finish_reason").getAsString());
    assertEquals(5, a.getAsJsonArray("output_ids").size());
    assertTrue(a.get("output").getAsString().startsWith("g0_"), lines.get(0));
    for (int i = 0; i < 4; i++) {
      assertEquals(40 + i, JsonParser.parseString(lines.get(i)).getAsJsonObject().get("seed").getAsLong(),
          "example i has seed + i across batches");
    }
    // eval.generation writes the same generations (greedy: the seed changes nothing) and scores them per group
    List<String> evalLines = Files.readAllLines(workspace.resolve("runs/1/scores/generations.jsonl"));
    for (int i = 0; i < 4; i++) {
      JsonObject g = JsonParser.parseString(lines.get(i)).getAsJsonObject();
      JsonObject e = JsonParser.parseString(evalLines.get(i)).getAsJsonObject();
      assertEquals(g.get("output_ids"), e.get("output_ids"));
    }
    JsonObject groups = JsonParser.parseString(Files.readString(workspace.resolve("runs/1/scores/scores.json")))
        .getAsJsonObject().getAsJsonObject("groups");
    assertEquals(1.0, groups.getAsJsonObject("g0").getAsJsonObject("refusal").get("rate").getAsDouble(), 0);
    assertEquals(2, groups.getAsJsonObject("g0").getAsJsonObject("refusal").get("examples").getAsLong());
    assertEquals(0.0, groups.getAsJsonObject("g1").getAsJsonObject("refusal").get("rate").getAsDouble(), 0);

    // the console generates the record of example a, token by token, and writes the same line
    String ids = a.getAsJsonArray("output_ids").toString();
    Distribution.Result encoded = Distribution.run(workspace, "generate", "planted", "--prompt", "g0_1 g0_2 g0_3 g0_4",
        "--max-tokens", "5", "--out", workspace.resolve("console.jsonl").toString());
    assertEquals(0, encoded.exitCode(), encoded::toString);
    System.out.println("console generate: " + encoded.out().strip() + "\nstep record: " + lines.get(0));
    JsonObject console = JsonParser.parseString(Files.readString(workspace.resolve("console.jsonl"))).getAsJsonObject();
    assertEquals(ids, console.getAsJsonArray("output_ids").toString());
    assertEquals(a.get("output"), console.get("output"));
    assertEquals(a.get("prompt"), console.get("prompt"));
    assertTrue(encoded.out().contains(a.get("output").getAsString() + "\n"), "printed as it came: " + encoded.out());
    assertTrue(encoded.out().contains("finish length, 5 tokens, seed 0"), encoded.out());
  }

  @Test
  void aChatDatasetForAModelWithoutATemplateIsOneClearMessage() throws Exception {
    new PlantedModel().groups(2).plantedPerGroup(2).dMlp(32).seed(5).write(workspace.resolve("models/planted"));
    Files.createDirectories(workspace.resolve("datasets"));
    Files.writeString(workspace.resolve("datasets/chat.jsonl"), "{\"text\": \"g0_1 g0_2\"}\n");
    Path workflow = Files.writeString(workspace.resolve("chat.json"), ("{'name': 'chat', 'steps': ["
        + "{'id': 'model', 'uses': 'model.load', 'with': {'model': 'models/planted'}},"
        + "{'id': 'data', 'uses': 'dataset.jsonl', 'with': {'path': 'datasets/chat.jsonl', 'chat': true}},"
        + "{'id': 'gen', 'uses': 'generate', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}'}}"
        + "]}").replace('\'', '"'));
    Distribution.Result run = Distribution.run(workspace, "run", workflow.toString());
    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.err().contains("chat template"), run.toString());
    assertTrue(!run.err().contains("\tat "), "no stack trace for a user error: " + run);
  }
}
