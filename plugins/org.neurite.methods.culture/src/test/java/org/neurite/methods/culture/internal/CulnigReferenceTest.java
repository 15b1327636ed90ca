package org.neurite.methods.culture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.analysis.select.Selection;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/**
 * CULNIG against the independent PyTorch reference of {@code src/test/resources/reference/}
 * ({@code culnig_reference.py}, written from the authors' code apart from Neurite's; float64, one
 * sequence at a time): the reference's tiny Llama and its BLEnD, BLEnD-control and CountryRC rows
 * through the real Llama family, the attribution primitives (as the attribute step runs them) and
 * the plugin, in float32 and float64, in left-padded batches of 5 and one sequence at a time. Checked:
 * the per-(unit, country) sums of every site, S and S_c, the selected sets of every rate set, and
 * p(gold) and the options' argmax after suppressing and enhancing each set.
 */
class CulnigReferenceTest {
  static final Path REFERENCE = Path.of("src/test/resources/reference");
  static final Map<String, String> SITES = new LinkedHashMap<>();

  static {
    SITES.put("self_attn.q_proj", "attn.hook_q");
    SITES.put("self_attn.k_proj", "attn.hook_k");
    SITES.put("self_attn.v_proj", "attn.hook_v");
    SITES.put("mlp.gate_proj", "mlp.hook_pre");
    SITES.put("mlp.up_proj", "mlp.hook_pre_linear");
  }

  @TempDir static Path workspace;
  private static JsonObject expected;
  private static ModelRepositoryComponent repository;

  @BeforeAll
  static void read() throws Exception {
    expected = JsonParser.parseString(Files.readString(REFERENCE.resolve("culnig_expected.json"))).getAsJsonObject();
    repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND, WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
  }

  @AfterAll
  static void close() {
    repository.close();
  }

  @ParameterizedTest(name = "{0}, batches of {1}")
  @CsvSource({"float64, 5", "float64, 1", "float32, 5", "float32, 1"})
  void scoresSelectionsAndInterventionsEqualTheReference(String dtype, int batchSize) throws Exception {
    LanguageModel model = repository.load(REFERENCE.resolve("tiny-llama").toAbsolutePath().toString(),
        new LoadOptions("cpu", dtype));
    assertEquals(dtype, model.spec().dtype(), "the model computes in " + dtype);
    // 1e-4 relative to the value, or to a fraction of its array's largest value where it is near 0: in float64
    // the unit scores' float32 storage limits S = blend - control (1e-4 of the largest); in float32 the model's
    // own rounding, about 1e-6 of the largest term, is what S keeps after the subtraction cancels (0.1)
    double tolerance = 1e-4;
    double floor = dtype.equals("float64") ? 1e-4 : 0.1;
    List<String> hooks = CulnigScoring.hooks(model);
    List<Example> blendRows = examples("blend.jsonl");
    UnitScores blend = CulnigScoring.score(model, blendRows, hooks, false, batchSize);
    UnitScores control = CulnigScoring.score(model, examples("blend-control.jsonl"), hooks, true, batchSize);
    UnitScores countryRc = CulnigScoring.score(model, examples("countryrc.jsonl"), hooks, false, batchSize);
    String what = dtype + "/" + batchSize;
    JsonObject sums = expected.getAsJsonObject("sums");
    JsonObject datasets = expected.getAsJsonObject("datasets");
    double worst = 0;
    for (String[] d : new String[][] {{"blend", "blend"}, {"blendcontrol", "control"}, {"countryrc", "countryrc"}}) {
      UnitScores ours = d[1].equals("blend") ? blend : d[1].equals("control") ? control : countryRc;
      long n = datasets.getAsJsonObject(d[0]).get("n").getAsLong();
      for (String country : sums.getAsJsonObject(d[0]).keySet()) {
        JsonObject byModule = sums.getAsJsonObject(d[0]).getAsJsonObject(country);
        for (String module : SITES.keySet()) {
          worst = Math.max(worst, compare(byModule.getAsJsonArray(module), module, n,
              (hook) -> ours.scores().get(hook).get(country), tolerance, floor, what + " sums " + d[0] + "/" + country));
        }
      }
    }
    CulnigScores scores = CulnigScores.of(blend, control, countryRc, "test");
    JsonObject general = expected.getAsJsonObject("general");
    JsonObject specific = expected.getAsJsonObject("specific");
    JsonArray generalConfigs = general.getAsJsonArray("configs");
    JsonArray specificConfigs = specific.getAsJsonArray("configs");
    for (int k = 0; k < generalConfigs.size(); k++) {
      JsonObject g = generalConfigs.get(k).getAsJsonObject();
      JsonObject s = specificConfigs.get(k).getAsJsonObject();
      assertEquals(g.get("name").getAsString(), s.get("name").getAsString());
      String config = g.get("name").getAsString();
      Culnig.Result result = Culnig.run(scores, new Culnig.Options(g.get("mlp_rate").getAsDouble(),
          g.get("attention_rate").getAsDouble(), g.get("countryrc_mlp_rate").getAsDouble(),
          g.get("countryrc_attention_rate").getAsDouble(), s.get("rate").getAsDouble(),
          s.get("countryrc_rate").getAsDouble(), s.get("z_threshold").getAsDouble(), List.of()), "test");
      if (k == 0) {
        for (String module : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "mlp.gate_proj")) {
          worst = Math.max(worst, compare(general.getAsJsonObject("S").getAsJsonArray(module), module, 1,
              hook -> result.scores().scores().get(hook).get("general"), tolerance, floor, what + " S"));
          for (String country : specific.getAsJsonObject("S_c").keySet()) {
            worst = Math.max(worst, compare(specific.getAsJsonObject("S_c").getAsJsonObject(country)
                .getAsJsonArray(module), module, 1, hook -> result.scores().scores().get(hook).get(country), tolerance, floor,
                what + " S_" + country));
          }
        }
      }
      assertEquals(sorted(units(g.getAsJsonArray("selected"))), sorted(result.neurons().units("general")),
          what + " " + config + ": the culture-general set");
      JsonObject perCountry = s.getAsJsonObject("per_country");
      for (String country : perCountry.keySet()) {
        JsonObject c = perCountry.getAsJsonObject(country);
        assertEquals(sorted(units(c.getAsJsonArray("final"))), sorted(result.neurons().units(country)),
            what + " " + config + ": the " + country + "-specific set");
        assertEquals(c.getAsJsonObject("counts").get("selected").getAsInt()
            - c.getAsJsonObject("counts").get("after_exclusion").getAsInt(), (int) result.excluded().get(country),
            what + " " + config + ": units CountryRC removed from " + country);
      }
      worst = Math.max(worst, interventions(model, blendRows, result.neurons(), config, tolerance, what));
      System.out.printf("CULNIG reference %s, %s: general %d units, specific %s%n", what, config,
          result.neurons().units("general").size(), perCountry.keySet().stream()
              .map(c -> c + "=" + result.neurons().units(c).size()).toList());
    }
    if (dtype.equals("float32") && batchSize == 5) {
      cost(model, hooks, blendRows);
    }
    System.out.printf("CULNIG reference %s: worst relative difference %.3g (tolerance %.0e, floor %.0e of each array's"
        + " largest)%n", what, worst, tolerance, floor);
  }

  /**
   * A measurement, not a check: the scoring pass (one forward and one backward for every hook point,
   * plus the forward for p) against a plain forward over the same batches, best of three.
   */
  private static void cost(LanguageModel model, List<String> hooks, List<Example> rows) {
    long forward = Long.MAX_VALUE;
    long scoring = Long.MAX_VALUE;
    for (int round = 0; round < 4; round++) {
      long t0 = System.nanoTime();
      Batches batches = new Batches(rows.stream(), new Tokenization(model, 256), "group", 5, TokenBatch.Padding.LEFT);
      while (batches.hasNext()) {
        Batches.Batch batch = batches.next();
        try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
          model.forward(batch.tokens(), Hooks.none(), scope).logits().toFloatArray();
        }
      }
      long t1 = System.nanoTime();
      CulnigScoring.score(model, rows, hooks, false, 5);
      long t2 = System.nanoTime();
      if (round > 0) {
        forward = Math.min(forward, t1 - t0);
        scoring = Math.min(scoring, t2 - t1);
      }
    }
    System.out.printf("CULNIG scoring of %d rows at %d hook points: %.1f ms, a plain forward %.1f ms: %.2f forwards%n",
        rows.size(), hooks.size(), scoring / 1e6, forward / 1e6, (double) scoring / forward);
  }

  /** p(gold) per row and the argmax over the options, unchanged, suppressed (zero) and enhanced (x2). */
  private static double interventions(LanguageModel model, List<Example> rows, NeuronSet neurons, String config,
      double tolerance, String what) {
    JsonObject cases = expected.getAsJsonObject("evaluation").getAsJsonObject("by_config").getAsJsonObject(config);
    double worst = 0;
    List<String> groups = new ArrayList<>(List.of("none", "general"));
    rows.stream().map(Example::group).distinct().sorted().forEach(groups::add);
    for (String group : groups) {
      for (String op : group.equals("none") ? new String[] {""} : new String[] {"suppress", "enhance"}) {
        String name = group.equals("none") ? "none" : (group.equals("general") ? "general" : "specific_" + group) + "_"
            + op;
        JsonObject theirs = cases.getAsJsonObject(name);
        List<Unit> units = group.equals("none") ? List.of() : neurons.units(group);
        assertEquals(theirs.get("units").getAsInt(), units.size(), what + " " + config + " " + name + ": units");
        LanguageModel m = units.isEmpty() ? model : new IntervenedModel(model, Intervention.of(Selection.byHook(neurons,
            group), op.equals("suppress") ? new Operation.Zero() : new Operation.Scale(2), Positions.ALL), name);
        JsonArray predictions = theirs.getAsJsonArray("predictions");
        double[][] ours = predict(m, rows);
        for (int i = 0; i < rows.size(); i++) {
          JsonObject p = predictions.get(i).getAsJsonObject();
          assertEquals(p.get("id").getAsString(), rows.get(i).id());
          double gold = p.get("p_gold").getAsDouble();
          double diff = Math.abs(ours[i][0] - gold) / Math.max(Math.abs(gold), 1e-12);
          worst = Math.max(worst, diff);
          assertTrue(diff <= tolerance, what + " " + config + " " + name + " " + rows.get(i).id() + ": p(gold) "
              + ours[i][0] + " vs " + gold);
          assertEquals(p.get("argmax_options").getAsLong(), (long) ours[i][1], what + " " + config + " " + name + " "
              + rows.get(i).id() + ": the chosen option");
        }
      }
    }
    return worst;
  }

  /** Per row: p(gold) and the option token of the highest logit, at the last position, one row at a time. */
  private static double[][] predict(LanguageModel model, List<Example> rows) {
    var tokenizer = model.tokenizer().orElseThrow();
    double[][] out = new double[rows.size()][2];
    for (int i = 0; i < rows.size(); i++) {
      Example x = rows.get(i);
      Batches.Batch batch = new Batches(List.of(x).stream(), new Tokenization(model, 256), "group", 1,
          TokenBatch.Padding.LEFT).next();
      try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
        NDArray logits = model.forward(batch.tokens(), Hooks.none(), scope).logits().toType(DataType.FLOAT64, false);
        double[] row = logits.get(0).get(batch.tokens().length() - 1).toDoubleArray();
        double max = java.util.Arrays.stream(row).max().orElseThrow();
        double z = 0;
        for (double v : row) {
          z += Math.exp(v - max);
        }
        long gold = tokenizer.encode(x.contrast().answer(), false)[0];
        out[i][0] = Math.exp(row[(int) gold] - max) / z;
        long best = -1;
        for (String option : x.labels().get("choices").split(" ")) {
          long id = tokenizer.encode(option, false)[0];
          if (best < 0 || row[(int) id] > row[(int) best]) {
            best = id;
          }
        }
        out[i][1] = best;
      }
    }
    return out;
  }

  private interface Values {
    float[] of(String hook);
  }

  /** Compares a reference array [layer][index] (divided by n) with ours at every layer; the worst relative difference. */
  private static double compare(JsonArray theirs, String module, long n, Values ours, double tolerance, double floor,
      String what) {
    double largest = 0;
    for (JsonElement layer : theirs) {
      for (JsonElement v : layer.getAsJsonArray()) {
        largest = Math.max(largest, Math.abs(v.getAsDouble() / n));
      }
    }
    double worst = 0;
    for (int l = 0; l < theirs.size(); l++) {
      float[] mine = ours.of("blocks." + l + "." + SITES.get(module));
      JsonArray row = theirs.get(l).getAsJsonArray();
      assertEquals(row.size(), mine.length, what + " " + module + " layer " + l + ": units");
      for (int u = 0; u < mine.length; u++) {
        double t = row.get(u).getAsDouble() / n;
        // relative to the value, with a floor of a fraction of the array's largest: float32 keeps about 7 digits of
        // the largest term, and S = blend - control cancels some of them
        double diff = Math.abs(mine[u] - t) / Math.max(Math.abs(t), floor * largest);
        worst = Math.max(worst, diff);
        assertTrue(diff <= tolerance, what + " " + module + " layer " + l + " unit " + u + ": " + mine[u] + " vs " + t);
      }
    }
    return worst;
  }

  private static List<Unit> sorted(List<Unit> units) {
    return units.stream().sorted().toList();
  }

  private static List<Unit> units(JsonArray members) {
    List<Unit> out = new ArrayList<>();
    for (JsonElement e : members) {
      JsonObject m = e.getAsJsonObject();
      out.add(new Unit("blocks." + m.get("layer").getAsInt() + "." + SITES.get(m.get("module").getAsString()),
          m.get("index").getAsInt()));
    }
    return out;
  }

  /** A reference dataset: text = prompt, group = country, answer = the gold token; label "choices" = the options. */
  static List<Example> examples(String file) throws Exception {
    List<Example> out = new ArrayList<>();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve(file))) {
      if (text.isBlank()) {
        continue;
      }
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      line++;
      String prompt = json.get("prompt").getAsString();
      List<String> choices = new ArrayList<>();
      json.getAsJsonArray("choices").forEach(c -> choices.add(c.getAsString()));
      out.add(new Example(line, json.get("id").getAsString(), prompt, null, json.get("country").getAsString(),
          Map.of("choices", String.join(" ", choices)), null, null,
          new Example.Contrast(prompt, json.get("answer").getAsString(), null), null));
    }
    return out;
  }
}
