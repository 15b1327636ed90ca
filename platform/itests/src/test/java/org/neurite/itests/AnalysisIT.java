package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.analysis.UnitScores;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.units.UnitScoresFiles;
import org.neurite.testbed.PlantedModel;

/**
 * The analysis steps inside the real platform, on the planted-unit testbed: the one generic
 * {@code attribute} step with the built-in methods, selection, and ablation beside its random control.
 */
class AnalysisIT {
  @TempDir Path workspace;

  @Test
  void attributionMethodsByNameRecoverThePlantedUnitsAndTheirAblationIsSpecific() throws Exception {
    // the testbed of the analysis bundle's PlantedRecoveryTest, where the primitives recover every planted unit
    PlantedModel planted = new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(41);
    planted.write(workspace.resolve("models/planted"));
    planted.writeDataset(workspace.resolve("datasets/planted.jsonl"), 24, 12, 5);
    String hook = planted.hook();
    Path workflow = Files.writeString(workspace.resolve("planted.json"), ("{'name': 'planted', 'steps': ["
        + "{'id': 'model', 'uses': 'model.load', 'with': {'model': 'models/planted'}},"
        + "{'id': 'data', 'uses': 'dataset.jsonl', 'with': {'path': 'datasets/planted.jsonl', 'text': 'text', 'group': 'lang'}},"
        + "{'id': 'gxa', 'uses': 'attribute', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'method': 'grad_x_act', 'hooks': ['" + hook + "'], 'batch_size': 8}},"
        + "{'id': 'ig', 'uses': 'attribute', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'method': 'integrated_gradients', 'steps': 8, 'hooks': ['" + hook + "'], 'batch_size': 8}},"
        + "{'id': 'gxa_units', 'uses': 'select', 'with': {'scores': '${gxa.scores}', 'rule': 'top_k', 'value': 3}},"
        + "{'id': 'ig_units', 'uses': 'select', 'with': {'scores': '${ig.scores}', 'rule': 'top_k', 'value': 3}},"
        + "{'id': 'ablation', 'uses': 'eval.ablation', 'with': {'model': '${model.model}', 'neurons': '${gxa_units.neurons}',"
        + "  'dataset': '${data.dataset}', 'operation': 'zero', 'seed': 3}},"
        + "{'id': 'zeroed', 'uses': 'intervene', 'with': {'model': '${model.model}', 'neurons': '${gxa_units.neurons}',"
        + "  'groups': ['g0'], 'seed': 3}},"
        + "{'id': 'loss', 'uses': 'eval.loss', 'with': {'model': '${zeroed.model}', 'dataset': '${data.dataset}'}},"
        + "{'id': 'control_loss', 'uses': 'eval.loss', 'with': {'model': '${zeroed.control}', 'dataset': '${data.dataset}'}},"
        + "{'id': 'export', 'uses': 'model.export', 'with': {'model': '${zeroed.model}'}},"
        + "{'id': 'export_loss', 'uses': 'eval.loss', 'with': {'model': '${export.model}', 'dataset': '${data.dataset}'}},"
        + "{'id': 'edit', 'uses': 'weights.edit', 'with': {'model': '${model.model}', 'neurons': '${gxa_units.neurons}',"
        + "  'groups': ['g0'], 'factor': 0}},"
        + "{'id': 'edit_loss', 'uses': 'eval.loss', 'with': {'model': '${edit.model}', 'dataset': '${data.dataset}'}},"
        + "{'id': 'means', 'uses': 'stats.units', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'hooks': ['" + hook + "'], 'statistic': 'mean'}},"
        + "{'id': 'capture', 'uses': 'capture', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'hooks': ['" + hook + "'], 'shard_rows': 50}}"
        + "]}").replace('\'', '"'));
    Distribution.Result run = Distribution.run(workspace, "run", workflow.toString());
    assertEquals(0, run.exitCode(), run::toString);

    for (String step : new String[] {"gxa_units", "ig_units"}) {
      double precision = precision(neurons(workspace.resolve("runs/1/" + step)), planted.planted());
      System.out.printf("precision@k of %s: %.3f%n", step, precision);
      assertTrue(precision >= 0.95, step + ": precision@k " + precision);
    }
    JsonObject matrix = JsonParser.parseString(Files.readString(workspace.resolve("runs/1/ablation/effects.json")))
        .getAsJsonObject().getAsJsonObject("matrix");
    for (String ablated : matrix.keySet()) {
      JsonObject own = matrix.getAsJsonObject(ablated).getAsJsonObject(ablated);
      double rise = own.get("targeted").getAsDouble() - own.get("base").getAsDouble();
      double controlRise = Math.abs(own.get("control").getAsDouble() - own.get("base").getAsDouble());
      System.out.printf("zeroing %s's units: its loss %+.3f nats/token, control %+.4f%n", ablated, rise, controlRise);
      assertTrue(rise > 5 * controlRise && rise > 0.2, ablated + ": rise " + rise + " vs control " + controlRise);
      for (String measured : matrix.getAsJsonObject(ablated).keySet()) {
        JsonObject other = matrix.getAsJsonObject(ablated).getAsJsonObject(measured);
        double otherRise = Math.abs(other.get("targeted").getAsDouble() - other.get("base").getAsDouble());
        assertTrue(measured.equals(ablated) || rise > 5 * otherRise, ablated + " units on " + measured + ": " + otherRise);
      }
    }

    // the intervention beside its control, and the same change written into the weights two ways
    JsonObject loss = groups(workspace.resolve("runs/1/loss/losses.json"));
    JsonObject control = groups(workspace.resolve("runs/1/control_loss/losses.json"));
    double own = loss.getAsJsonObject("g0").get("relative_change").getAsDouble();
    double ownControl = control.getAsJsonObject("g0").get("relative_change").getAsDouble();
    System.out.printf("intervene g0's units: g0 loss %+.1f%%, its control %+.2f%%%n", 100 * own, 100 * ownControl);
    assertTrue(own > 0.2 && own > 10 * Math.abs(ownControl), "own " + own + " vs control " + ownControl);
    for (String other : new String[] {"g1", "g2"}) {
      double change = loss.getAsJsonObject(other).get("relative_change").getAsDouble();
      assertTrue(own > 5 * Math.abs(change), other + ": " + change);
    }
    for (String step : new String[] {"export_loss", "edit_loss"}) {
      JsonObject weights = groups(workspace.resolve("runs/1/" + step + "/losses.json"));
      for (String g : new String[] {"g0", "g1", "g2"}) {
        double intervened = loss.getAsJsonObject(g).get("loss").getAsDouble();
        double written = weights.getAsJsonObject(g).get("loss").getAsDouble();
        assertEquals(intervened, written, 1e-5 * intervened, step + " " + g + ": the weights give what the hook gives");
      }
    }
    assertTrue(Files.isRegularFile(workspace.resolve("runs/1/export/model.safetensors")));
    assertTrue(Files.isRegularFile(workspace.resolve("runs/1/edit/config.json")));

    capturedRowsAreTheStatisticsRows(hook);
    theConsoleShowsTheSelectedUnits(hook);

    Path bad = Files.writeString(workspace.resolve("bad.json"), ("{'name': 'bad', 'steps': ["
        + "{'id': 'model', 'uses': 'model.load', 'with': {'model': 'models/planted'}},"
        + "{'id': 'data', 'uses': 'dataset.jsonl', 'with': {'path': 'datasets/planted.jsonl', 'text': 'text', 'group': 'lang'}},"
        + "{'id': 'x', 'uses': 'attribute', 'with': {'model': '${model.model}', 'dataset': '${data.dataset}',"
        + "  'method': 'saliency'}}]}").replace('\'', '"'));
    Distribution.Result failed = Distribution.run(workspace, "run", bad.toString());
    assertEquals(1, failed.exitCode(), failed::toString);
    assertTrue(failed.toString().contains("Step x: method 'saliency' is not an installed attribution method; installed:"
        + " attribution_patching, grad_x_act, integrated_gradients."), failed::toString);
  }

  /** Captured activations: every token's row in shards of 50, whose per-group means are the statistics' means. */
  private void capturedRowsAreTheStatisticsRows(String hook) throws Exception {
    JsonObject manifest = JsonParser.parseString(Files.readString(workspace.resolve("runs/1/capture/capture.json")))
        .getAsJsonObject();
    UnitScores means = UnitScoresFiles.read(workspace.resolve("runs/1/means/scores.safetensors"));
    java.util.List<String> groupNames = new java.util.ArrayList<>();
    manifest.getAsJsonArray("groups").forEach(g -> groupNames.add(g.getAsString()));
    double[][] sums = new double[groupNames.size()][64];
    long[] counts = new long[groupNames.size()];
    long rows = 0;
    int shards = 0;
    long[] lastExample = {-1, -1};
    for (JsonElement e : manifest.getAsJsonArray("shards")) {
      shards++;
      try (SafetensorsFile shard = SafetensorsFile.open(workspace.resolve("runs/1/capture")
          .resolve(e.getAsJsonObject().get("file").getAsString()))) {
        java.nio.FloatBuffer values = shard.map(hook).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        java.nio.LongBuffer groupOf = shard.map("group").order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        java.nio.LongBuffer position = shard.map("position").order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        java.nio.LongBuffer example = shard.map("example").order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        int n = groupOf.remaining();
        assertEquals(e.getAsJsonObject().get("rows").getAsInt(), n);
        for (int r = 0; r < n; r++) {
          int g = (int) groupOf.get(r);
          counts[g]++;
          long expectedPosition = example.get(r) == lastExample[0] ? lastExample[1] + 1 : 0;
          assertEquals(expectedPosition, position.get(r), "rows are an example's tokens in order, from its first");
          lastExample[0] = example.get(r);
          lastExample[1] = position.get(r);
          for (int u = 0; u < 64; u++) {
            sums[g][u] += values.get(r * 64 + u);
          }
        }
        rows += n;
      }
    }
    assertEquals(manifest.get("rows").getAsLong(), rows);
    assertEquals((rows + 49) / 50, shards, "full shards of 50 and one remainder");
    double worst = 0;
    for (int g = 0; g < groupNames.size(); g++) {
      float[] expected = means.of(hook, groupNames.get(g)).orElseThrow();
      for (int u = 0; u < 64; u++) {
        worst = Math.max(worst, Math.abs(sums[g][u] / counts[g] - expected[u]) / Math.max(1, Math.abs(expected[u])));
      }
    }
    System.out.printf("capture: %d rows in %d shards; per-group means differ from stats.units by %.2e%n", rows, shards,
        worst);
    assertTrue(worst < 1e-5, "captured rows' means against the statistics: " + worst);

  }

  /** The console shows what the run selected and scored, and exports every unit. */
  private void theConsoleShowsTheSelectedUnits(String hook) throws Exception {
    Distribution.Result shown = Distribution.run(workspace, "neurons", "1", "--top", "3", "--csv",
        workspace.resolve("units.csv").toString());
    assertEquals(0, shown.exitCode(), shown::toString);
    String text = shown.toString();
    assertTrue(text.contains("neuron set ") && text.contains("gxa_units.neurons") && text.contains("ig_units.neurons")
        && text.contains("unit scores grad_x_act/response  gxa.scores"), text);
    assertTrue(text.contains("  group g0: 3 units\n    per hook point: " + hook + "=3\n"), text);
    java.util.List<String> rows = Files.readAllLines(workspace.resolve("units.csv"));
    assertEquals("source,statistic,group,hook,index,score", rows.get(0));
    assertEquals(3 * 64, rows.stream().filter(r -> r.startsWith("gxa.scores,grad_x_act/response,")).count(),
        "every unit of every group of the scores");
    Distribution.Result oneFile = Distribution.run(workspace, "neurons", "1/gxa/scores.safetensors");
    assertEquals(0, oneFile.exitCode(), oneFile::toString);
    Distribution.Result none = Distribution.run(workspace, "neurons", "datasets/planted.jsonl");
    assertEquals(1, none.exitCode(), none::toString);
    assertTrue(none.toString().contains("is neither a neuron set (.json) nor unit scores (.safetensors)"), none::toString);

  }

  private static JsonObject groups(Path losses) throws Exception {
    return JsonParser.parseString(Files.readString(losses)).getAsJsonObject().getAsJsonObject("groups");
  }

  private static JsonObject neurons(Path stepFolder) throws Exception {
    try (var files = Files.walk(stepFolder)) {
      Path file = files.filter(f -> f.getFileName().toString().equals("neurons.json")).findFirst().orElseThrow();
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }
  }

  private static double precision(JsonObject set, Map<String, int[]> planted) {
    Set<String> truth = new HashSet<>();
    planted.forEach((group, units) -> {
      for (int u : units) {
        truth.add(group + "/" + u);
      }
    });
    int hits = 0;
    int total = 0;
    for (JsonElement e : set.getAsJsonArray("members")) {
      JsonObject m = e.getAsJsonObject();
      total++;
      hits += truth.contains(m.get("group").getAsString() + "/" + m.get("index").getAsInt()) ? 1 : 0;
    }
    return total == 0 ? 0 : (double) hits / total;
  }
}
