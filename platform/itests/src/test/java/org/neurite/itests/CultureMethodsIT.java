package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CULNIG's ready workflow (workspace-template/workflows/methods/culnig.json) run as a user runs it,
 * on a tiny Llama checkpoint the user has (the culture plugin's reference model, copied into the
 * workspace's models/) and the shipped culture datasets, at the reference's 5% rates (the code's
 * 0.3% of this model's 256 units is none); then its result shown by {@code neurons}.
 */
class CultureMethodsIT {
  static final Path TINY = Path.of("../../plugins/org.neurite.methods.culture/src/test/resources/reference/tiny-llama");

  @TempDir Path workspace;

  @Test
  void culnigFindsCultureUnitsAndReportsEachSetBesideItsRandomControl() throws Exception {
    Path models = Files.createDirectories(workspace.resolve("models/tiny-llama"));
    try (Stream<Path> files = Files.list(TINY)) {
      for (Path f : files.toList()) {
        Files.copy(f, models.resolve(f.getFileName().toString()));
      }
    }
    long start = System.nanoTime();
    Distribution.Result run = Distribution.run(workspace, "run", "workflows/methods/culnig.json",
        "--set", "mlp_rate=0.05", "--set", "attention_rate=0.05", "--set", "country_rate=0.05");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, run.exitCode(), run::toString);
    run.out().lines().filter(l -> l.contains("SUCCEEDED")).forEach(l -> System.out.println("culnig workflow: " + l.trim()));
    System.out.printf("culnig workflow on the tiny Llama: %.1f s end to end%n", seconds);
    JsonObject report = json(workspace.resolve("runs/1/culnig/culnig.json"));
    JsonObject groups = report.getAsJsonObject("groups");
    for (String group : new String[] {"general", "avaria", "belmor", "corvan"}) {
      JsonObject g = groups.getAsJsonObject(group);
      System.out.printf("culnig %s: %d units %s (CountryRC removed %d%s)%n", group, g.get("units").getAsInt(),
          g.getAsJsonObject("per_hook"), g.get("countryrc_removed").getAsInt(),
          g.has("zscore_removed") ? ", z-score removed " + g.get("zscore_removed").getAsInt() : "");
      assertTrue(g.get("units").getAsInt() > 0, group + " has units");
    }
    for (String op : new String[] {"suppress", "enhance"}) {
      JsonObject effects = json(workspace.resolve("runs/1/" + op + "/effects.json"));
      assertTrue(effects.get("measure").getAsString().startsWith("multiple-choice accuracy"), effects.toString());
      JsonObject matrix = effects.getAsJsonObject("matrix");
      for (String set : matrix.keySet()) {
        JsonObject row = matrix.getAsJsonObject(set);
        StringBuilder line = new StringBuilder();
        for (String country : row.keySet()) {
          JsonObject cell = row.getAsJsonObject(country);
          line.append(String.format(" %s %.3f -> %.3f (control %.3f);", country, cell.get("base").getAsDouble(),
              cell.get("targeted").getAsDouble(), cell.get("control").getAsDouble()));
          for (String key : new String[] {"base", "targeted", "control"}) {
            double v = cell.get(key).getAsDouble();
            assertTrue(v >= 0 && v <= 1, op + " " + set + " " + country + " " + key + ": " + v);
          }
        }
        System.out.println("culnig " + op + " " + set + ": accuracy" + line);
      }
      assertEquals(Stream.of("avaria", "belmor", "corvan", "general").sorted().toList(),
          matrix.keySet().stream().sorted().toList(), op + ": every set beside its control");
    }
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3");
    assertEquals(0, shown.exitCode(), shown::toString);
    assertTrue(shown.out().contains("neuron set culnig  culnig.neurons"), shown::toString);
    assertTrue(shown.out().contains("unit scores culnig  culnig.scores"), shown::toString);
    assertTrue(shown.out().contains("  group avaria: "), shown::toString);
    assertTrue(shown.out().contains("  group general: "), shown::toString);
    System.out.println(shown.out().lines().limit(12).reduce("", (a, b) -> a + "\n" + b));
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
