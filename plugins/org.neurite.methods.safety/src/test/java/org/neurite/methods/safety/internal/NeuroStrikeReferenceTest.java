package org.neurite.methods.safety.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.eval.GenerationScores;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.data.Example;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/**
 * NeuroStrike against the independent PyTorch reference of {@code src/test/resources/reference/}
 * ({@code neurostrike_reference.py}, written from the authors' code apart from Neurite's): its tiny
 * Llama and 40 prompts through the real Llama family and the plugin's pooling, in float64 and
 * float32; then the plugin's probes on the reference's pooled rows, from the reference's PyTorch
 * initial weights, in float64. Checked: the masked max-pooled features, every probe weight to 1e-4
 * of the largest, z-scores, the selected units and the prefix sets, for the padded (the authors')
 * and the masked rows. The padded rows themselves are not compared: the reference pads on the
 * right, the authors and Neurite on the left (docs/methods/neurostrike.md).
 */
class NeuroStrikeReferenceTest {
  static final Path REFERENCE = Path.of("src/test/resources/reference");
  static final int LAYERS = 3;
  @TempDir static Path workspace;
  static JsonObject expected;
  static ModelRepositoryComponent repository;

  @BeforeAll
  static void read() throws Exception {
    expected = JsonParser.parseString(Files.readString(REFERENCE.resolve("neurostrike_expected.json")))
        .getAsJsonObject();
    repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND, WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
  }

  @AfterAll
  static void close() {
    repository.close();
  }

  /** {@code layers.L.gate} / {@code layers.L.up} as Neurite's hook point. */
  static String hook(String module) {
    String[] parts = module.split("\\.");
    return "blocks." + parts[1] + ".mlp." + (parts[2].equals("gate") ? "hook_pre" : "hook_pre_linear");
  }

  static double[][] matrix(JsonArray rows) {
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = vector(rows.get(i).getAsJsonArray());
    }
    return x;
  }

  static double[] vector(JsonArray values) {
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i).getAsDouble();
    }
    return v;
  }

  static boolean[] labels() {
    JsonArray labels = expected.getAsJsonArray("labels");
    boolean[] y = new boolean[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i).isJsonPrimitive() && labels.get(i).getAsJsonPrimitive().isBoolean()
          ? labels.get(i).getAsBoolean() : labels.get(i).getAsDouble() == 1;
    }
    return y;
  }

  static List<Example> prompts() throws Exception {
    List<Example> out = new ArrayList<>();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve("prompts.jsonl"))) {
      if (text.isBlank()) {
        continue;
      }
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      line++;
      out.add(new Example(line, Long.toString(line), json.get("prompt").getAsString(),
          json.get("harmful").getAsString(), null));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"float64", "float32"})
  void theMaskedMaxOfEveryModuleIsTheReferences(String dtype) throws Exception {
    LanguageModel model = repository.load(REFERENCE.toAbsolutePath().toString(), new LoadOptions("cpu", dtype));
    JsonObject modules = expected.getAsJsonObject("modules");
    List<String> hooks = modules.keySet().stream().map(NeuroStrikeReferenceTest::hook).toList();
    NeuroStrike.Features batched = Probing.features(model, prompts(), hooks, Pooling.MAX, "label", "true", "false",
        32);
    // the rows are kept in float32, as the authors keep them: a float64 model agrees to float32's rounding
    double tolerance = dtype.equals("float64") ? 1e-7 : 1e-4;
    double worst = 0;
    for (String module : modules.keySet()) {
      double[][] want = matrix(modules.getAsJsonObject(module).getAsJsonArray("features_masked_float64"));
      double[][] got = batched.byHook().get(hook(module));
      assertEquals(want.length, got.length, module);
      for (int i = 0; i < want.length; i++) {
        for (int u = 0; u < want[i].length; u++) {
          double scale = Math.max(1, Math.abs(want[i][u]));
          worst = Math.max(worst, Math.abs(want[i][u] - got[i][u]) / scale);
          assertEquals(want[i][u], got[i][u], tolerance * scale, module + " prompt " + i + " unit " + u);
        }
      }
    }
    assertEquals(java.util.Arrays.toString(labels()), java.util.Arrays.toString(batched.harmful()));
    System.out.printf("NeuroStrike reference, masked max features in %s: worst relative difference %.2e%n", dtype,
        worst);
  }

  @ParameterizedTest
  @ValueSource(strings = {"padded", "masked"})
  void probeWeightsZScoresAndSelectionsAreTheReferences(String variant) {
    JsonObject modules = expected.getAsJsonObject("modules");
    Map<String, double[][]> byHook = new LinkedHashMap<>();
    Map<String, double[]> initial = new LinkedHashMap<>();
    for (String module : modules.keySet()) {
      JsonObject m = modules.getAsJsonObject(module);
      byHook.put(hook(module), matrix(m.getAsJsonArray("features_" + variant + "_float64")));
      double[] w = vector(m.getAsJsonArray("init_weight"));
      double[] theta = java.util.Arrays.copyOf(w, w.length + 1);
      theta[w.length] = m.get("init_bias").getAsDouble();
      initial.put(hook(module), theta);
    }
    NeuroStrike.Features features = new NeuroStrike.Features(byHook, labels(), List.of());
    NeuroStrike.Result result = Probing.run(features, ProbeOptions.neuroStrike(), LAYERS, initial);
    double worst = 0;
    int selected = 0;
    for (String module : modules.keySet()) {
      JsonObject probe = modules.getAsJsonObject(module).getAsJsonObject("probe_" + variant + "_float64");
      double[] want = vector(probe.getAsJsonArray("weight"));
      double[] got = result.fits().get(hook(module)).weights();
      double scale = 0;
      for (double v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int u = 0; u < want.length; u++) {
        worst = Math.max(worst, Math.abs(want[u] - got[u]) / scale);
        assertEquals(want[u], got[u], 1e-4 * scale, module + " w" + u);
      }
      assertEquals(probe.get("bias").getAsDouble(), result.fits().get(hook(module)).bias(), 1e-4 * scale,
          module + " bias");
      double[] z = vector(probe.getAsJsonArray("z"));
      double[] gotZ = result.zScores().get(hook(module));
      for (int u = 0; u < z.length; u++) {
        assertEquals(z[u], gotZ[u], 1e-3 * Math.max(1, Math.abs(z[u])), module + " z" + u);
      }
      assertEquals(indices(probe.getAsJsonArray("selected")), selectedAt(result.neurons(), hook(module)),
          module + ": the selected units at |z| > 3");
      JsonObject others = probe.getAsJsonObject("selected_by_threshold");
      for (String threshold : others.keySet()) {
        TreeSet<Integer> loose = selectedAt(NeuroStrike.select(result.fits(), Double.parseDouble(threshold), true,
            "safety"), hook(module));
        assertEquals(indices(others.getAsJsonArray(threshold)), loose, module + ": the selected units at |z| > "
            + threshold);
        selected += loose.size();
      }
    }
    if (variant.equals("padded")) {
      JsonObject prefixes = expected.getAsJsonObject("prefix_sets");
      for (String percent : prefixes.keySet()) {
        JsonObject p = prefixes.getAsJsonObject(percent);
        assertEquals(p.get("last_layer").getAsInt(), NeuroStrike.lastLayer(Integer.parseInt(percent), LAYERS), percent);
        TreeSet<String> want = new TreeSet<>();
        JsonObject neurons = p.getAsJsonObject("neurons");
        for (String module : neurons.keySet()) {
          neurons.getAsJsonArray(module).forEach(e -> want.add(new Unit(hook(module), e.getAsInt()).toString()));
        }
        TreeSet<String> got = new TreeSet<>();
        result.prefixes().units("layers_" + percent).forEach(u -> got.add(u.toString()));
        assertEquals(want, got, percent + "%: the prefix set");
      }
    }
    assertTrue(selected > 0, variant + ": the looser thresholds select units to compare");
    System.out.printf("NeuroStrike reference, %s probes: worst weight difference %.2e of the largest; %d units"
        + " selected, as the reference%n", variant, worst, selected);
  }

  static TreeSet<Integer> indices(JsonArray values) {
    TreeSet<Integer> out = new TreeSet<>();
    values.forEach(e -> out.add(e.getAsInt()));
    return out;
  }

  static TreeSet<Integer> selectedAt(NeuronSet set, String hook) {
    TreeSet<Integer> out = new TreeSet<>();
    for (Unit unit : set.units()) {
      if (unit.hook().equals(hook)) {
        out.add(unit.index());
      }
    }
    return out;
  }

  /**
   * Greedy answers of every prompt, batched and left-padded as eval.ablation generates them, on the
   * plain model and with the reference's |z| > 2 set (every layer) zeroed during decoding: the
   * reference's tokens (each prompt alone) and its refusal rates by "I cannot".
   */
  @Test
  void greedyAnswersAndRefusalRatesWithAndWithoutPruningAreTheReferences() throws Exception {
    LanguageModel model = repository.load(REFERENCE.toAbsolutePath().toString(), new LoadOptions("cpu", "float64"));
    Map<String, int[]> pruned = new LinkedHashMap<>();
    JsonObject set = expected.getAsJsonObject("selection_threshold_2_padded_float64");
    for (String module : set.keySet()) {
      int[] units = indices(set.getAsJsonArray(module)).stream().mapToInt(Integer::intValue).toArray();
      if (units.length > 0) {
        pruned.put(hook(module), units);
      }
    }
    LanguageModel intervened = new IntervenedModel(model, Intervention.of(pruned, new Operation.Zero(), Positions.ALL),
        "threshold 2");
    List<Example> prompts = prompts();
    JsonArray referencePrompts = expected.getAsJsonArray("prompts");
    for (String run : new String[] {"none", "prefix_100_threshold_2"}) {
      LanguageModel m = run.equals("none") ? model : intervened;
      JsonArray want = expected.getAsJsonObject("generations").getAsJsonArray(run);
      Batches batches = new Batches(prompts.stream(), new Tokenization(m, 128), "label", 16, TokenBatch.Padding.LEFT);
      int at = 0;
      int refusals = 0;
      int harmfulRefusals = 0;
      while (batches.hasNext()) {
        Batches.Batch batch = batches.next();
        List<long[]> ids = new ArrayList<>();
        for (var x : batch.examples()) {
          ids.add(x.ids());
          assertEquals(referencePrompts.get(at + ids.size() - 1).getAsJsonObject().getAsJsonArray("input_ids")
              .toString(), java.util.Arrays.toString(x.ids()).replace(" ", ""), "the prompt's ids");
        }
        try (var scope = PlantedTestbed.BACKEND.newScope("cpu")) {
          List<Generated> out = m.generate(ids, GenerationOptions.greedy(6), GenerationHooks.none(), scope)
              .sequences();
          for (int i = 0; i < out.size(); i++, at++) {
            JsonObject w = want.get(at).getAsJsonObject();
            assertEquals(w.getAsJsonArray("token_ids").toString(), java.util.Arrays.toString(out.get(i).outputIds())
                .replace(" ", ""), run + " prompt " + at);
            boolean refused = GenerationScores.refused(out.get(i).text(), List.of("I cannot"));
            assertEquals(w.get("refusal").getAsBoolean(), refused, run + " prompt " + at + ": " + out.get(i).text());
            refusals += refused ? 1 : 0;
            harmfulRefusals += refused && prompts.get(at).label().equals("true") ? 1 : 0;
          }
        }
      }
      JsonObject rate = expected.getAsJsonObject("refusal_rate").getAsJsonObject(run);
      assertEquals(rate.get("all").getAsDouble(), refusals / 40.0, 1e-12, run);
      assertEquals(rate.get("harmful").getAsDouble(), harmfulRefusals / 20.0, 1e-12, run);
      System.out.printf("NeuroStrike reference, greedy answers %s: refusal rate %.3f (harmful %.3f), as the"
          + " reference%n", run, refusals / 40.0, harmfulRefusals / 20.0);
    }
  }

  @Test
  void labelsReadFromTheBooleanFieldAreTheReferences() throws Exception {
    boolean[] y = labels();
    List<Example> prompts = prompts();
    for (int i = 0; i < y.length; i++) {
      assertEquals(y[i], prompts.get(i).label().equals("true"), "prompt " + i);
    }
  }
}
