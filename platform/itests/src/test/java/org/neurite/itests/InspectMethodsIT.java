package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspection plugin's ready workflows (decode.json, massive-activations.json), run as a user runs
 * them on the shipped MiniLM and sentences, and their results shown by {@code neurons}.
 */
class InspectMethodsIT {
  @TempDir Path workspace;

  @Test
  void decodeLabelsEveryMiniLmNeuronAndFindsTheNeuronsOfTheGivenTokens() throws Exception {
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/decode.json");
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("decode workflow: " + l.trim()));
    JsonObject report = json(workspace.resolve("runs/1/decode/decode.json"));
    assertEquals(6 * 1536, report.get("units").getAsInt(), "every MLP neuron of MiniLM's 6 layers");
    assertEquals("embeddings.word_embeddings.weight", report.get("unembedding").getAsString());
    assertEquals("none", report.get("norm_applied").getAsString());
    List<String> table = Files.readAllLines(workspace.resolve("runs/1/decode/decode.csv"));
    assertEquals(1 + 6 * 1536 * 10, table.size(), "a header and top-10 rows per neuron");
    assertEquals("hook,layer,unit,rank,token_id,token,probability", table.get(0));
    JsonObject tokens = report.getAsJsonObject("tokens");
    for (String token : tokens.keySet()) {
      int units = tokens.getAsJsonObject(token).get("units").getAsInt();
      assertTrue(units > 0, token + " has neurons");
      System.out.printf("decode on MiniLM: %d neurons have top token '%s', per layer %s%n", units, token,
          tokens.getAsJsonObject(token).getAsJsonObject("per_hook"));
    }
    System.out.printf("decode on MiniLM: %d neurons in %.2f s; layer 5's most frequent top tokens %s%n",
        report.get("units").getAsInt(), report.get("seconds").getAsDouble(), report.getAsJsonObject("per_layer")
            .getAsJsonObject("blocks.5.mlp.hook_post").getAsJsonObject("most_frequent_top_tokens"));
    JsonObject matrix = json(workspace.resolve("runs/1/ablation/effects.json")).getAsJsonObject("matrix");
    for (String ablated : matrix.keySet()) {
      JsonObject perGroup = matrix.getAsJsonObject(ablated);
      for (String measured : perGroup.keySet()) {
        JsonObject cell = perGroup.getAsJsonObject(measured);
        System.out.printf("zeroing the '%s' neurons: %s embeddings shift %.4f, random control %.4f%n", ablated,
            measured, cell.get("targeted").getAsDouble(), cell.get("control").getAsDouble());
      }
    }
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    System.out.println(shown.out());
    assertTrue(shown.out().contains("neuron set decode (vocabulary_probability)  decode.neurons"), shown::toString);
    for (String token : tokens.keySet()) {
      assertTrue(shown.out().contains("  group " + token + ": "), shown::toString);
    }
  }

  @Test
  void massiveActivationsTabulateEveryLayerOfMiniLm() throws Exception {
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/massive-activations.json");
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("massive workflow: " + l.trim()));
    JsonObject report = json(workspace.resolve("runs/1/massive/massive.json"));
    assertEquals(192, report.get("sequences").getAsInt(), "every sentence");
    assertEquals(7, report.getAsJsonArray("layers").size(), "the embeddings and 6 blocks");
    for (JsonElement e : report.getAsJsonArray("layers")) {
      JsonObject layer = e.getAsJsonObject();
      JsonObject max = layer.getAsJsonObject("max");
      assertTrue(layer.get("mean_ratio").getAsDouble() > 1);
      System.out.printf("massive on MiniLM: %-26s ratio %8.2f +- %6.2f, max|h| %7.2f at position %d ('%s') dim %d;"
          + " |a|>100: %d, massive: %d; dims %s%n", layer.get("hook").getAsString(),
          layer.get("mean_ratio").getAsDouble(), layer.get("sem_ratio").getAsDouble(), max.get("max_abs").getAsDouble(),
          max.get("position").getAsInt(), max.get("token").getAsString(), max.get("dim").getAsInt(),
          layer.get("count_abs").getAsLong(), layer.get("count_massive").getAsLong(), layer.get("top_dims").getAsString());
    }
    assertEquals(8, Files.readAllLines(workspace.resolve("runs/1/massive/massive.csv")).size(), "a header and 7 layers");
    assertEquals(1 + 7 * 192, Files.readAllLines(workspace.resolve("runs/1/massive/sequences.csv")).size());
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    System.out.println(shown.out());
    assertTrue(shown.out().contains("neuron set massive-activations (max_abs)  massive.neurons"), shown::toString);
    assertTrue(shown.out().contains("  group top: "), shown::toString);
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
