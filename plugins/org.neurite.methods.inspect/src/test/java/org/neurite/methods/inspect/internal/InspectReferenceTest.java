package org.neurite.methods.inspect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.stats.MedianRule;
import org.neurite.analysis.stats.SequenceMagnitudes;
import org.neurite.analysis.weights.UnitDirection;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * Both methods against the independent PyTorch reference of {@code src/test/resources/reference/}
 * ({@code inspect_reference.py}, written from METHODS.md and Sun et al.'s code, not from Neurite's):
 * its tiny Llama (untied head, RMSNorm gain) and tiny GPT-2 (tied, LayerNorm with bias, Conv1D) run
 * through the real repository and families, in float32 and float64. Decoding: every unit's top-5
 * tokens and probabilities, input and output weights, without the gain ({@code plain}) and with it
 * ({@code gain}), and the token lookups. Massive activations: every sequence's max, where it is,
 * both medians, the per-position ratios and Sun counts, the per-layer mean ratio and its standard
 * error, in left-padded batches of 3 and one sequence at a time. Values within 1e-4 relative;
 * ranks, ids, positions and counts equal.
 */
class InspectReferenceTest {
  static final Path REFERENCE = Path.of("src/test/resources/reference");
  static final double TOLERANCE = 1e-4;
  @TempDir static Path workspace;
  static Models models;
  static JsonObject decoding;
  static JsonObject massive;
  static List<Example> texts = new ArrayList<>();

  @BeforeAll
  static void read() throws Exception {
    models = new Models(workspace);
    decoding = JsonParser.parseString(Files.readString(REFERENCE.resolve("decoding_expected.json"))).getAsJsonObject();
    massive = JsonParser.parseString(Files.readString(REFERENCE.resolve("massive_expected.json"))).getAsJsonObject();
    long line = 0;
    for (String text : Files.readAllLines(REFERENCE.resolve("massive.jsonl"))) {
      if (!text.isBlank()) {
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        texts.add(new Example(++line, json.get("id").getAsString(), json.get("text").getAsString(), null, null));
      }
    }
  }

  @AfterAll
  static void close() {
    models.close();
  }

  @ParameterizedTest
  @CsvSource({"tiny-llama,float32", "tiny-llama,float64", "tiny-gpt2,float32", "tiny-gpt2,float64"})
  void decodingEqualsTheReference(String name, String dtype) {
    LanguageModel model = models.load(REFERENCE.resolve(name), dtype);
    JsonObject expected = decoding.getAsJsonObject("models").getAsJsonObject(name);
    TokenLabels labels = new TokenLabels(model.tokenizer());
    double worst = 0;
    for (String reading : List.of("input", "output")) {
      for (String variant : List.of("plain", "gain")) {
        Decoding.Result result = Decoding.run(model.spec(), models.store(model), PlantedTestbed.BACKEND, "cpu",
            new Decoding.Options(List.of(0, 1), reading.equals("input") ? UnitDirection.INPUT : UnitDirection.OUTPUT,
                variant.equals("gain"), 5, 50), "test");
        JsonArray units = expected.getAsJsonArray("units");
        assertEquals(units.size(), result.units().size());
        for (int i = 0; i < units.size(); i++) {
          JsonObject u = units.get(i).getAsJsonObject();
          Decoding.Top top = result.units().get(i);
          String what = name + " " + dtype + " " + reading + " " + variant + " " + top.unit();
          assertEquals(new Unit("blocks." + u.get("layer").getAsInt() + ".mlp.hook_post", u.get("unit").getAsInt()),
              top.unit(), what);
          JsonArray top5 = u.getAsJsonObject(reading).getAsJsonObject(variant).getAsJsonArray("top5");
          for (int r = 0; r < 5; r++) {
            JsonObject t = top5.get(r).getAsJsonObject();
            assertEquals(t.get("id").getAsLong(), top.ids()[r], what + " rank " + (r + 1));
            assertEquals(t.get("token").getAsString(), labels.text(top.ids()[r]), what);
            double p = t.get("prob").getAsDouble();
            worst = Math.max(worst, Math.abs(top.probabilities()[r] - p) / p);
          }
        }
        JsonObject lookup = expected.getAsJsonObject("token_lookup");
        Map<String, List<Long>> ids = labels.ids(List.copyOf(lookup.keySet()), model.spec().vocab(), "test");
        for (int rank : new int[] {1, 5}) {
          NeuronSet set = labels.neurons(result.units(), ids, rank);
          for (String token : lookup.keySet()) {
            JsonArray theirs = lookup.getAsJsonObject(token).getAsJsonObject(reading).getAsJsonObject(variant)
                .getAsJsonArray("top" + rank);
            assertEquals(units(theirs), new TreeSet<>(set.units(token)),
                name + " " + dtype + " " + reading + " " + variant + ": units whose top-" + rank + " holds " + token);
          }
        }
      }
    }
    System.out.printf("decode reference %s %s: top-5 ids equal for 2 x 2 x %d readings, largest relative probability"
        + " error %.2e%n", name, dtype, result(expected), worst);
    assertTrue(worst <= TOLERANCE, "probabilities differ by " + worst + " relative");
  }

  private static int result(JsonObject expected) {
    return expected.getAsJsonArray("units").size();
  }

  private static Set<Unit> units(JsonArray pairs) {
    Set<Unit> out = new TreeSet<>();
    for (JsonElement p : pairs) {
      out.add(new Unit("blocks." + p.getAsJsonArray().get(0).getAsInt() + ".mlp.hook_post",
          p.getAsJsonArray().get(1).getAsInt()));
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"tiny-llama,float32", "tiny-llama,float64", "tiny-gpt2,float32", "tiny-gpt2,float64"})
  void massiveActivationsEqualTheReference(String name, String dtype) {
    LanguageModel model = models.load(REFERENCE.resolve(name), dtype);
    JsonArray layers = massive.getAsJsonObject("models").getAsJsonObject(name).getAsJsonArray("layers");
    Map<String, String> hooks = Map.of("embed", "blocks.0.hook_resid_pre", "0", "blocks.0.hook_resid_post",
        "1", "blocks.1.hook_resid_post", "final_norm", "ln_final.hook_normalized");
    double worst = 0;
    for (MedianRule rule : MedianRule.values()) {
      String suffix = rule == MedianRule.LOWER ? "lower" : "mean";
      MassiveStep.Options options = new MassiveStep.Options(List.of("blocks.0.hook_resid_pre",
          "blocks.*.hook_resid_post", "ln_final.hook_normalized"), rule, 100, 1000);
      for (int batchSize : new int[] {3, 1}) {
        MassiveActivations result = new MassiveActivations();
        Batches batches = new Batches(texts.stream(), new Tokenization(model, 64), null, batchSize,
            TokenBatch.Padding.LEFT);
        while (batches.hasNext()) {
          MassiveStep.add(result, model, batches.next(), options, PlantedTestbed.BACKEND, "cpu");
        }
        for (JsonElement l : layers) {
          JsonObject layer = l.getAsJsonObject();
          String hook = hooks.get(layer.get("layer").getAsString());
          MassiveActivations.Site site = result.sites().get(hook);
          String what = name + " " + dtype + " " + suffix + " batch " + batchSize + " " + hook;
          worst = Math.max(worst, relative(layer.get("mean_ratio_" + suffix).getAsDouble(), site.meanRatio()));
          worst = Math.max(worst, relative(layer.get("sem_ratio_" + suffix + "_ddof1").getAsDouble(), site.semRatio()));
          JsonArray sequences = layer.getAsJsonArray("sequences");
          assertEquals(sequences.size(), site.sequences.size(), what);
          for (int s = 0; s < sequences.size(); s++) {
            JsonObject theirs = sequences.get(s).getAsJsonObject();
            MassiveActivations.Sequence ours = site.sequences.get(s);
            SequenceMagnitudes m = ours.magnitudes();
            String seq = what + " " + theirs.get("id").getAsString();
            assertEquals(theirs.get("id").getAsString(), ours.id(), seq);
            assertEquals(theirs.get("seq_len").getAsInt(), m.positions(), seq);
            assertEquals(theirs.getAsJsonArray("argmax").get(0).getAsInt(), m.maxPosition(), seq);
            assertEquals(theirs.getAsJsonArray("argmax").get(1).getAsInt(), m.maxUnit(), seq);
            assertEquals(theirs.getAsJsonArray("token_ids").get(m.maxPosition()).getAsLong(), ours.tokenAtMax(), seq);
            assertEquals(theirs.get("sun_count_" + suffix).getAsLong(), m.massive(), seq);
            worst = Math.max(worst, relative(theirs.get("max_abs").getAsDouble(), m.maxAbs()));
            worst = Math.max(worst, relative(theirs.get("median_abs_" + suffix).getAsDouble(), m.median()));
            worst = Math.max(worst, relative(theirs.get("ratio_" + suffix).getAsDouble(), m.ratio()));
            JsonArray perToken = theirs.getAsJsonArray("per_token");
            double[] ratios = m.positionRatios();
            assertEquals(perToken.size(), ratios.length, seq);
            for (int t = 0; t < ratios.length; t++) {
              worst = Math.max(worst, relative(perToken.get(t).getAsJsonObject().get("ratio_" + suffix).getAsDouble(),
                  ratios[t]));
            }
          }
        }
      }
    }
    System.out.printf("massive reference %s %s: 4 layers x 8 sequences, both medians, batches of 3 and 1: largest"
        + " relative error %.2e%n", name, dtype, worst);
    assertTrue(worst <= TOLERANCE, "values differ by " + worst + " relative");
  }

  private static double relative(double expected, double actual) {
    return Math.abs(actual - expected) / Math.abs(expected);
  }
}
