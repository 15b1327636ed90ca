package org.neurite.methods.knowledge.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.eval.GreedyMatch;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/**
 * Relation neurons against the independent PyTorch reference ({@code reference/relation/}, made by
 * {@code relation_reference.py} from the papers, without Neurite's code): on its trained tiny Llama
 * and four relations, the per-prompt unit values, which facts the model knows, every unit's average
 * precision per relation (all other relations' prompts as negatives, with and without the
 * detection filter), the top 5 / 10 / 20 units, and the accuracy after zeroing each relation's top
 * 10 on the held-out facts; in float64 and float32, in padded batches. The unit values are compared
 * as {@code capture} keeps them, in float32.
 */
class RelationReferenceTest {
  static final ai.djl.ndarray.NDManager SCOPE = PlantedTestbed.BACKEND.newScope("cpu");

  @org.junit.jupiter.api.AfterAll
  static void closeScope() {
    SCOPE.close();
  }
  static final Path REFERENCE = Path.of("src/test/resources/reference/relation");
  static final String[] MODULES = {"gate", "up", "down"};
  @TempDir Path workspace;

  @ParameterizedTest
  @CsvSource({"float64, 1e-7, 1e-9", "float32, 1e-4, 1e-4"})
  void scoresSetsAndAblationsEqualTheReference(String dtype, double valueTolerance, double tolerance) throws Exception {
    JsonObject expected = JsonParser.parseString(Files.readString(REFERENCE.resolve("relation_expected.json")))
        .getAsJsonObject();
    List<String> relations = new ArrayList<>();
    expected.getAsJsonArray("relations").forEach(r -> relations.add(r.getAsString()));
    ModelRepositoryComponent repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND,
        WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
    try {
      LanguageModel model = repository.load(REFERENCE.resolve("tiny-llama").toAbsolutePath().toString(),
          new LoadOptions("cpu", dtype));
      List<Example> detect = facts("detect");
      List<Example> heldOut = facts("eval");
      List<String> hooks = new ArrayList<>();
      for (int l = 0; l < model.spec().layers(); l++) {
        hooks.add("blocks." + l + ".mlp.hook_pre");
        hooks.add("blocks." + l + ".mlp.hook_pre_linear");
        hooks.add("blocks." + l + ".hook_mlp_out");
      }

      boolean[] known = matches(model, detect, 5);
      JsonObject correct = expected.getAsJsonObject("detection").getAsJsonObject("correct");
      for (int i = 0; i < detect.size(); i++) {
        assertEquals(correct.get(detect.get(i).id()).getAsBoolean(), known[i], "known: " + detect.get(i).id());
      }

      RelationNeurons unfiltered = PromptRows.of(model, detect, relations, hooks, Positions.PROMPT, null, 7);
      JsonArray values = expected.getAsJsonArray("detect_values");
      double worst = 0;
      for (int i = 0; i < detect.size(); i++) {
        JsonArray row = values.get(i).getAsJsonArray();
        for (int u = 0; u < row.size(); u++) {
          Unit unit = unit(u);
          double want = row.get(u).getAsDouble();
          double got = unfiltered.hooks().get(unit.hook())[i * unfiltered.widths().get(unit.hook()) + unit.index()];
          worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
        }
      }
      assertEquals(0, worst, valueTolerance, "per-prompt unit values (captured rows are float32, as capture stores them)");

      RelationNeurons filtered = new RelationNeurons(unfiltered.relations(), unfiltered.hooks(), unfiltered.widths(),
          unfiltered.group(), unfiltered.example(), known);
      double worstAp = 0;
      Map<String, NeuronSet> topTen = new LinkedHashMap<>();
      for (String variant : List.of("unfiltered", "filtered")) {
        RelationNeurons method = variant.equals("filtered") ? filtered : unfiltered;
        JsonObject byRelation = expected.getAsJsonObject("ap").getAsJsonObject("all_negatives/" + variant);
        for (int k : new int[] {5, 10, 20}) {
          List<RelationNeurons.PerRelation> results = method.run(new RelationNeurons.Options(0, k, 1), SCOPE, "test");
          for (RelationNeurons.PerRelation r : results) {
            JsonObject want = byRelation.getAsJsonObject(r.relation());
            assertEquals(want.getAsJsonArray("positive_ids").size(), r.positives(), variant + " " + r.relation());
            assertEquals(want.getAsJsonArray("negative_ids").size(), r.negatives().length, variant + " " + r.relation());
            JsonArray ap = want.getAsJsonArray("ap");
            for (int u = 0; u < ap.size(); u++) {
              Unit unit = unit(u);
              double w = ap.get(u).getAsDouble();
              worstAp = Math.max(worstAp, Math.abs(r.ap().get(unit.hook())[unit.index()] - w) / Math.abs(w));
            }
            List<Unit> wantTop = new ArrayList<>();
            want.getAsJsonObject("top").getAsJsonObject(Integer.toString(k)).getAsJsonArray("units")
                .forEach(e -> wantTop.add(unit(e.getAsInt())));
            assertEquals(wantTop, r.top(), variant + " top " + k + " of " + r.relation());
          }
          if (k == 10 && variant.equals("filtered")) {
            NeuronSet set = RelationNeurons.neurons("relation", results);
            relations.forEach(g -> topTen.put(g, set.group(g)));
          }
        }
      }
      assertEquals(0, worstAp, tolerance, "average precision");

      JsonObject evaluation = expected.getAsJsonObject("evaluation").getAsJsonObject("all_negatives/filtered");
      double[] accOrig = doubles(evaluation.getAsJsonArray("acc_orig"));
      assertArrayEquals(accOrig, accuracy(model, heldOut, relations), 1e-12, "held-out accuracy");
      JsonArray accDeact = evaluation.getAsJsonArray("acc_deact");
      for (int j = 0; j < relations.size(); j++) {
        Map<String, int[]> units = new TreeMap<>();
        NeuronSet set = topTen.get(relations.get(j));
        for (String hook : hooks) {
          int[] idx = set.units().stream().filter(u -> u.hook().equals(hook)).mapToInt(Unit::index).sorted().toArray();
          if (idx.length > 0) {
            units.put(hook, idx);
          }
        }
        LanguageModel zeroed = new IntervenedModel(model, Intervention.of(units, new Operation.Zero(), Positions.ALL),
            "zero " + relations.get(j));
        double[] acc = accuracy(zeroed, heldOut, relations);
        for (int i = 0; i < relations.size(); i++) {
          assertEquals(accDeact.get(i).getAsJsonArray().get(j).getAsDouble(), acc[i], 1e-12,
              relations.get(i) + " with " + relations.get(j) + "'s units zeroed");
        }
      }
      System.out.printf("relation neurons vs the PyTorch reference (%s): unit values %.2e, AP %.2e (relative); known"
          + " facts, top 5/10/20 and the zeroing accuracies equal%n", dtype, worst, worstAp);
    } finally {
      repository.close();
    }
  }

  /** The reference's unit u: layer-major, within a layer gate 0..63, up 0..63, down 0..d_model-1. */
  private static Unit unit(int u) {
    int perLayer = 64 + 64 + 32;
    int layer = u / perLayer;
    int within = u % perLayer;
    if (within < 64) {
      return new Unit("blocks." + layer + ".mlp.hook_pre", within);
    }
    if (within < 128) {
      return new Unit("blocks." + layer + ".mlp.hook_pre_linear", within - 64);
    }
    return new Unit("blocks." + layer + ".hook_mlp_out", within - 128);
  }

  private static List<Example> facts(String split) throws Exception {
    List<Example> out = new ArrayList<>();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve("facts.jsonl"))) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      if (!json.get("split").getAsString().equals(split)) {
        continue;
      }
      String prompt = json.get("prompt").getAsString() + " ";
      String object = json.get("object").getAsString();
      out.add(new Example(line, json.get("id").getAsString(), prompt + object, null, json.get("relation").getAsString(),
          Map.of(), new Example.Completion(prompt, object), null, null, null));
    }
    return out;
  }

  private static boolean[] matches(LanguageModel model, List<Example> examples, int batchSize) {
    GreedyMatch greedy = new GreedyMatch(PlantedTestbed.BACKEND, "cpu", 0);
    boolean[] out = new boolean[examples.size()];
    int at = 0;
    Batches batches = new Batches(examples.stream(), new Tokenization(model, 64), "group", batchSize,
        TokenBatch.Padding.LEFT);
    while (batches.hasNext()) {
      for (boolean m : greedy.matches(model, batches.next())) {
        out[at++] = m;
      }
    }
    return out;
  }

  private static double[] accuracy(LanguageModel model, List<Example> examples, List<String> relations) {
    boolean[] m = matches(model, examples, 6);
    double[] hits = new double[relations.size()];
    double[] count = new double[relations.size()];
    for (int i = 0; i < m.length; i++) {
      int r = relations.indexOf(examples.get(i).group());
      hits[r] += m[i] ? 1 : 0;
      count[r]++;
    }
    for (int r = 0; r < hits.length; r++) {
      hits[r] /= count[r];
    }
    return hits;
  }

  private static double[] doubles(JsonArray a) {
    double[] out = new double[a.size()];
    int i = 0;
    for (JsonElement e : a) {
      out[i++] = e.getAsDouble();
    }
    return out;
  }
}
