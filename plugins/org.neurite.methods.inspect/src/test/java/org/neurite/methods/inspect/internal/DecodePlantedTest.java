package org.neurite.methods.inspect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.weights.UnitDirection;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.model.LanguageModel;

/**
 * Decoding finds the neurons planted to read (and others planted to write) a token: a tiny Llama
 * whose unembedding is Gaussian, whose final-norm gain is random in [0.5, 1.5], and where four
 * neurons per token (two in each layer) have up_proj rows {@code W_U[t] / g} plus noise, and three
 * other neurons per token down_proj columns {@code W_U[t]} plus noise. Ranking every neuron by
 * its probability of t, the planted ones must fill the top k (precision@k ≥ 0.95), and the token
 * search must return them.
 */
class DecodePlantedTest {
  @TempDir static Path dir;
  static Models models;
  static LanguageModel model;
  static TinyLlama tiny;
  static final Map<Integer, List<Unit>> READERS = new LinkedHashMap<>();
  static final Map<Integer, List<Unit>> WRITERS = new LinkedHashMap<>();
  static float[] gain;

  @BeforeAll
  static void plant() throws Exception {
    tiny = new TinyLlama(48, 1.0, 7);
    SplittableRandom random = new SplittableRandom(11);
    gain = tiny.tensors.get("model.norm.weight");
    for (int j = 0; j < gain.length; j++) {
      gain[j] = (float) (0.5 + random.nextDouble());
    }
    float[] wu = tiny.tensors.get("lm_head.weight");
    int[] tokens = {tiny.token(0, 1), tiny.token(1, 2), tiny.token(2, 5)};
    for (int j = 0; j < tokens.length; j++) {
      int t = tokens[j];
      READERS.put(t, List.of(new Unit("blocks.0.mlp.hook_post", j * 7 + 1), new Unit("blocks.0.mlp.hook_post", j * 7 + 3),
          new Unit("blocks.1.mlp.hook_post", j * 5 + 2), new Unit("blocks.1.mlp.hook_post", j * 5 + 30)));
      WRITERS.put(t, List.of(new Unit("blocks.0.mlp.hook_post", 20 + j), new Unit("blocks.0.mlp.hook_post", 24 + j),
          new Unit("blocks.1.mlp.hook_post", 44 + j)));
      for (Unit u : READERS.get(t)) {
        float[] up = tiny.tensors.get("model.layers." + DecodeStep.layerOf(u.hook()) + ".mlp.up_proj.weight");
        for (int k = 0; k < tiny.d; k++) {
          up[u.index() * tiny.d + k] = (float) (wu[t * tiny.d + k] / gain[k] + 0.5 * TinyLlama.gaussian(random));
        }
      }
      for (Unit u : WRITERS.get(t)) {
        float[] down = tiny.tensors.get("model.layers." + DecodeStep.layerOf(u.hook()) + ".mlp.down_proj.weight");
        for (int k = 0; k < tiny.d; k++) {
          down[k * tiny.dMlp + u.index()] = (float) (wu[t * tiny.d + k] + 0.5 * TinyLlama.gaussian(random));
        }
      }
    }
    models = new Models(dir);
    model = models.load(tiny.write(dir.resolve("models/decode-planted")), "float64");
  }

  @AfterAll
  static void close() {
    models.close();
  }

  private static Decoding.Result decode(UnitDirection direction, boolean finalNorm, int topK) {
    return Decoding.run(model.spec(), models.store(model), PlantedTestbed.BACKEND, "cpu",
        new Decoding.Options(List.of(0, 1), direction, finalNorm, topK, 7), "test");
  }

  /** The fraction of the k neurons most probable for token t that were planted for it. */
  private static double precisionAtK(Decoding.Result result, long t, List<Unit> planted) {
    List<Decoding.Top> ranked = new ArrayList<>(result.units());
    ranked.sort(Comparator.comparingDouble((Decoding.Top top) -> -probability(top, t)));
    Set<Unit> found = new HashSet<>();
    ranked.subList(0, planted.size()).forEach(top -> found.add(top.unit()));
    found.retainAll(planted);
    return found.size() / (double) planted.size();
  }

  private static double probability(Decoding.Top top, long t) {
    for (int r = 0; r < top.ids().length; r++) {
      if (top.ids()[r] == t) {
        return top.probabilities()[r];
      }
    }
    return 0;
  }

  @Test
  void theNeuronsPlantedToReadATokenRankFirstForIt() {
    Decoding.Result result = decode(UnitDirection.INPUT, true, tiny.vocab);
    assertEquals(2 * 48, result.units().size());
    assertEquals("rmsnorm gain model.norm.weight", result.norm());
    READERS.forEach((t, planted) -> {
      double precision = precisionAtK(result, t, planted);
      System.out.printf("decode planted readers of %s: precision@%d %.2f%n",
          new TokenLabels(model.tokenizer()).label(t), planted.size(), precision);
      assertTrue(precision >= 0.95, "precision@k " + precision + " for token " + t);
    });
    // the token search, top-1: every planted reader, ranked by its score above the unplanted neurons whose top
    // token is the same by chance (with 27 tokens, about 1 in 9 of the 84 unplanted neurons has one of the three)
    TokenLabels labels = new TokenLabels(model.tokenizer());
    List<String> queries = READERS.keySet().stream().map(labels::label).toList();
    NeuronSet set = labels.neurons(result.units(), labels.ids(queries, tiny.vocab, "test"), 1);
    int found = 0;
    int right = 0;
    for (Map.Entry<Integer, List<Unit>> e : READERS.entrySet()) {
      String query = labels.label(e.getKey());
      List<Unit> units = set.units(query);
      assertTrue(units.containsAll(e.getValue()), query + ": " + units);
      List<Unit> byScore = set.group(query).members().stream()
          .sorted(Comparator.comparingDouble((NeuronSet.Member m) -> -m.score())).map(NeuronSet.Member::unit).toList();
      assertEquals(Set.copyOf(e.getValue()), Set.copyOf(byScore.subList(0, e.getValue().size())),
          query + ": the planted readers score highest");
      found += units.size();
      right += e.getValue().size();
    }
    System.out.printf("decode token search (top-1): %d units found, the %d planted readers among them ranked first%n",
        found, right);
  }

  @Test
  void theNeuronsPlantedToWriteATokenRankFirstWithOutputWeights() {
    Decoding.Result result = decode(UnitDirection.OUTPUT, false, tiny.vocab);
    WRITERS.forEach((t, planted) -> {
      double precision = precisionAtK(result, t, planted);
      System.out.printf("decode planted writers of token %d: precision@%d %.2f%n", t, planted.size(), precision);
      assertTrue(precision >= 0.95, "precision@k " + precision + " for token " + t);
    });
  }

  @Test
  void probabilitiesAreTheSoftmaxOfTheGainScaledProjection() {
    Decoding.Result result = decode(UnitDirection.INPUT, true, 3);
    float[] wu = tiny.tensors.get("lm_head.weight");
    for (Decoding.Top top : result.units()) {
      float[] up = tiny.tensors.get("model.layers." + DecodeStep.layerOf(top.unit().hook()) + ".mlp.up_proj.weight");
      double[] logits = new double[tiny.vocab];
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < tiny.vocab; v++) {
        for (int k = 0; k < tiny.d; k++) {
          logits[v] += (double) wu[v * tiny.d + k] * gain[k] * up[top.unit().index() * tiny.d + k];
        }
        max = Math.max(max, logits[v]);
      }
      double z = 0;
      for (double l : logits) {
        z += Math.exp(l - max);
      }
      for (int r = 0; r < 3; r++) {
        assertEquals(Math.exp(logits[(int) top.ids()[r]] - max) / z, top.probabilities()[r], 1e-12, top.unit() + " rank " + r);
        if (r > 0) {
          assertTrue(top.probabilities()[r] <= top.probabilities()[r - 1]);
        }
      }
    }
  }

  @Test
  void badParametersAreOneClearMessage() {
    TokenLabels labels = new TokenLabels(model.tokenizer());
    NeuriteException unknown = assertThrows(NeuriteException.class, () -> labels.ids(List.of("dog"), tiny.vocab, "Step d"));
    assertEquals("Step d: no token of the vocabulary reads 'dog' (compared without surrounding spaces); give a single"
        + " token the model has, e.g. one from the decode table.", unknown.getMessage());
    NeuriteException layer = assertThrows(NeuriteException.class, () -> Decoding.run(model.spec(), models.store(model),
        PlantedTestbed.BACKEND, "cpu", new Decoding.Options(List.of(2), UnitDirection.INPUT, true, 5, 8), "Step d"));
    assertEquals("Step d: layer 2 is out of range; the model has layers 0 to 1 ([] = all).", layer.getMessage());
    NeuriteException topK = assertThrows(NeuriteException.class, () -> Decoding.run(model.spec(), models.store(model),
        PlantedTestbed.BACKEND, "cpu", new Decoding.Options(List.of(0), UnitDirection.INPUT, true, 0, 8), "Step d"));
    assertEquals("Step d: top_k is 0; give 1 to the vocabulary size (27).", topK.getMessage());
    NeuriteException weights = assertThrows(NeuriteException.class, () -> DecodeStep.direction("down", "Step d"));
    assertEquals("Step d: weights 'down' is not one of input, output, gate.", weights.getMessage());
  }
}
