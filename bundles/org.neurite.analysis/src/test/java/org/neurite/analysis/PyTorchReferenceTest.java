package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.stats.StatsOptions;
import org.neurite.analysis.stats.UnitStats;
import org.neurite.analysis.stats.UnitStatsAccumulator;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/**
 * Statistics, gradient x activation, integrated gradients and attribution patching against an
 * independent float64 PyTorch reference ({@code reference/attribution_reference.py}, written from
 * Hugging Face's Llama and the papers' formulas; the build only reads the {@code expected.json} and
 * the {@code tiny-llama} checkpoint it wrote). Each quantity is checked on the four sequences one at
 * a time and as one left-padded batch, to within 1e-9 of the largest reference value of its vector.
 */
class PyTorchReferenceTest {
  private static final double TOLERANCE = 1e-9;
  private static final String HOOK = "blocks.1.mlp.hook_post";
  private static final List<String> GROUPS = List.of("a", "b");

  @TempDir static Path dir;
  static JsonObject ref;
  static ModelRepositoryComponent repository;
  static LanguageModel model;
  static final List<TokenizedExample> CLEAN = new ArrayList<>();
  static final List<TokenizedExample> CORRUPT = new ArrayList<>();
  static long[] answers;
  /** The largest relative error seen, per quantity and way of batching. */
  static final Map<String, Double> WORST = new TreeMap<>();

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = PyTorchReferenceTest.class.getResourceAsStream("/reference/expected.json")) {
      ref = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
    Path folder = Files.createDirectories(dir.resolve("models/tiny-llama"));
    for (String file : List.of("config.json", "model.safetensors")) {
      try (InputStream in = PyTorchReferenceTest.class.getResourceAsStream("/reference/tiny-llama/" + file)) {
        Files.copy(in, folder.resolve(file));
      }
    }
    repository = new ModelRepositoryComponent(Planted.BACKEND, WorkspaceFolders.of(dir));
    repository.addFamily(new LlamaFamily());
    model = repository.load(folder.toString(), new LoadOptions("cpu", "float64"));
    JsonArray sequences = ref.getAsJsonArray("sequences");
    answers = new long[sequences.size()];
    for (int i = 0; i < sequences.size(); i++) {
      JsonObject s = sequences.get(i).getAsJsonObject();
      String group = s.get("group").getAsString();
      int start = s.get("response_start").getAsInt();
      long[] ids = longs(s.getAsJsonArray("ids"));
      long[] corrupted = longs(s.getAsJsonArray("corrupted"));
      answers[i] = s.get("answer").getAsLong();
      CLEAN.add(new TokenizedExample(example(i, group, ids), ids, start, group));
      CORRUPT.add(new TokenizedExample(example(i, group, corrupted), corrupted, start, group));
    }
  }

  @AfterAll
  static void close() {
    WORST.forEach((what, error) -> System.out.printf("PyTorch reference, %-40s max relative error %.2e%n", what, error));
    repository.close();
  }

  private static Example example(int i, String group, long[] ids) {
    return new Example(i + 1, "s" + i, null, null, group, Map.of(), null, null, null, ids);
  }

  private static long[] longs(JsonArray array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).getAsLong();
    }
    return values;
  }

  private static double[] doubles(JsonArray array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).getAsDouble();
    }
    return values;
  }

  /** The ways the sequences are run: one at a time, and all four as one left-padded batch. */
  private static List<List<Integer>> ways() {
    return List.of(List.of(0), List.of(1), List.of(2), List.of(3), List.of(0, 1, 2, 3));
  }

  private static String wayName(List<Integer> members) {
    return members.size() == 1 ? "single" : "batch";
  }

  private static Batches.Batch batch(List<TokenizedExample> examples, List<Integer> members) {
    List<TokenizedExample> chosen = members.stream().map(examples::get).toList();
    return new Batches.Batch(chosen, TokenBatch.of(chosen.stream().map(TokenizedExample::ids).toList(),
        TokenBatch.Padding.LEFT));
  }

  private static long[] answersOf(List<Integer> members) {
    return members.stream().mapToLong(i -> answers[i]).toArray();
  }

  /** Asserts {@code ours} within TOLERANCE of the largest |reference| value and records the error. */
  private static void check(String what, String where, double[] expected, double[] ours) {
    assertEquals(expected.length, ours.length, what + " of " + where + ": number of units");
    double scale = 0;
    double diff = 0;
    int at = 0;
    for (int u = 0; u < expected.length; u++) {
      scale = Math.max(scale, Math.abs(expected[u]));
      if (Math.abs(expected[u] - ours[u]) > diff) {
        diff = Math.abs(expected[u] - ours[u]);
        at = u;
      }
    }
    double error = diff / Math.max(scale, Double.MIN_NORMAL);
    WORST.merge(what, error, Math::max);
    assertTrue(error <= TOLERANCE, what + " of " + where + ", unit " + at + ": PyTorch " + expected[at] + ", Neurite "
        + ours[at] + " (" + error + " of the scale " + scale + ")");
  }

  @Test
  void statisticsPerGroupEqualTheReference() {
    for (int layer = 0; layer < 2; layer++) {
      String hook = "blocks." + layer + ".mlp.hook_post";
      JsonObject expected = ref.getAsJsonObject("stats").getAsJsonObject(hook);
      for (boolean batched : new boolean[] {false, true}) {
        List<List<Integer>> runs = batched ? List.of(List.of(0, 1, 2, 3))
            : List.of(List.of(0), List.of(1), List.of(2), List.of(3));
        UnitStats stats = statistics(hook, runs);
        String way = batched ? "batch" : "single";
        for (String group : GROUPS) {
          JsonObject e = expected.getAsJsonObject(group);
          int g = stats.group(group);
          String where = hook + " group " + group + " (" + way + ")";
          assertEquals(e.get("count").getAsLong(), stats.count(g), "count of " + where);
          check("stats mean (" + way + ")", where, doubles(e.getAsJsonArray("mean")), stats.mean(g));
          check("stats variance (" + way + ")", where, doubles(e.getAsJsonArray("variance")), stats.variance(g));
          check("stats P(x > 0) (" + way + ")", where, doubles(e.getAsJsonArray("positive_rate")),
              stats.activeProbability(g));
          check("stats mean |x| (" + way + ")", where, doubles(e.getAsJsonArray("mean_abs")), stats.meanAbs(g));
          check("stats E[x^2] (" + way + ")", where, doubles(e.getAsJsonArray("mean_square")), stats.meanSquare(g));
          check("stats min (" + way + ")", where, doubles(e.getAsJsonArray("min")), stats.min(g));
          check("stats max (" + way + ")", where, doubles(e.getAsJsonArray("max")), stats.max(g));
        }
      }
    }
  }

  /** Rows = every real token of the runs' sequences, each in its sequence's group. */
  private static UnitStats statistics(String hook, List<List<Integer>> runs) {
    try (UnitStatsAccumulator acc = UnitStatsAccumulator.open(Planted.BACKEND, "cpu", hook, GROUPS,
        model.spec().dMlp(), StatsOptions.cheap())) {
      for (List<Integer> members : runs) {
        Batches.Batch batch = batch(CLEAN, members);
        float[] mask = Positions.ALL.mask(batch);
        List<Integer> groupOfRow = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
          if (mask[i] != 0) {
            groupOfRow.add(GROUPS.indexOf(batch.examples().get(i / batch.tokens().length()).group()));
          }
        }
        try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
          var values = model.forward(batch.tokens(), Hooks.none().record(hook), scope).recorded(hook);
          acc.add(Pooling.TOKENS.pool(values, mask, scope), groupOfRow.stream().mapToInt(Integer::intValue).toArray());
        }
      }
      return acc.snapshot();
    }
  }

  @Test
  void gradientTimesActivationEqualsTheReference() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    JsonArray expected = ref.getAsJsonArray("grad_x_act");
    for (List<Integer> members : ways()) {
      Attributions.Result result = attributions.gradientTimesActivation(model, batch(CLEAN, members), HOOK,
          Target.responseLogLikelihood(), Positions.ALL, Pooling.MEAN, false);
      compare("grad x act", expected, members, result, e -> e.get("target").getAsDouble());
    }
  }

  @Test
  void integratedGradientsEqualTheReference() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    JsonObject ig = ref.getAsJsonObject("integrated_gradients");
    assertEquals(50, ig.get("steps").getAsInt());
    JsonArray expected = ig.getAsJsonArray("per_sequence");
    double worstGap = 0;
    for (List<Integer> members : ways()) {
      Batches.Batch batch = batch(CLEAN, members);
      Target target = Target.nextTokenLogProb(answersOf(members));
      Attributions.Result result = attributions.integratedGradients(model, batch, HOOK, target, Positions.ALL, 50, null);
      compare("integrated gradients", expected, members, result, e -> e.get("target").getAsDouble());
      double[] atZero;
      try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
        atZero = Target.values(target.apply(model.forward(batch.tokens(), Hooks.none().replace(HOOK,
            (name, value, tokens) -> value.mul(0)), scope), batch));
      }
      for (int k = 0; k < members.size(); k++) {
        JsonObject e = expected.get(members.get(k)).getAsJsonObject();
        double base = e.get("baseline_target").getAsDouble();
        check("IG T(baseline) (" + wayName(members) + ")", "sequence " + members.get(k), new double[] {base},
            new double[] {atZero[k]});
        double sum = java.util.Arrays.stream(result.scores()[k]).sum();
        double span = result.target()[k] - atZero[k];
        worstGap = Math.max(worstGap, Math.abs(sum - span) / Math.abs(span));
      }
    }
    System.out.printf("PyTorch reference, IG completeness at 50 steps: sum of scores off T(x) - T(0) by at most %.2e"
        + " of it (the Riemann sum's error, as in the reference)%n", worstGap);
  }

  @Test
  void attributionPatchingEqualsTheReference() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    JsonArray expected = ref.getAsJsonArray("attribution_patching");
    for (List<Integer> members : ways()) {
      Attributions.Result result = attributions.attributionPatching(model, batch(CLEAN, members),
          batch(CORRUPT, members), HOOK, Target.nextTokenLogProb(answersOf(members)), Positions.ALL);
      compare("attribution patching", expected, members, result, e -> e.get("target").getAsDouble());
    }
  }

  private static void compare(String what, JsonArray expected, List<Integer> members, Attributions.Result result,
      Function<JsonObject, Double> target) {
    String way = wayName(members);
    assertEquals(members.size(), result.scores().length, what + ": rows");
    for (int k = 0; k < members.size(); k++) {
      JsonObject e = expected.get(members.get(k)).getAsJsonObject();
      String where = "sequence " + members.get(k);
      check(what + " scores (" + way + ")", where, doubles(e.getAsJsonArray("scores")), result.scores()[k]);
      check(what + " T (" + way + ")", where, new double[] {target.apply(e)}, new double[] {result.target()[k]});
    }
  }
}
