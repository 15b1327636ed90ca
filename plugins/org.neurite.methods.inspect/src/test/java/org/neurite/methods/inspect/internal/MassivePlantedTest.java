package org.neurite.methods.inspect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.stats.MedianRule;
import org.neurite.analysis.stats.SequenceMagnitudes;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * Massive activations are found where they were planted: a tiny Llama of small weights (0.05)
 * whose word {@code g1_3} has an embedding of 500 on dimension 5. The residual stream carries it
 * to every layer (the norms keep the blocks' outputs small), so each sequence holding the word has
 * its max|h| there, at every hook point, passing Sun et al.'s thresholds; the others have none.
 * A padded batch gives what one sequence at a time gives, and shards merge into the whole.
 */
class MassivePlantedTest {
  @TempDir static Path dir;
  static Models models;
  static TinyLlama tiny;
  static List<Example> examples = new ArrayList<>();
  static final MassiveStep.Options OPTIONS = new MassiveStep.Options(
      List.of("blocks.0.hook_resid_pre", "blocks.*.hook_resid_post"), MedianRule.LOWER, 100, 1000);

  @BeforeAll
  static void plant() throws Exception {
    tiny = new TinyLlama(32, 0.05, 3);
    tiny.tensors.get("model.embed_tokens.weight")[tiny.token(1, 3) * tiny.d + 5] = 500f;
    models = new Models(dir);
    tiny.write(dir.resolve("models/massive-planted"));
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 12; i++) {
      StringBuilder text = new StringBuilder();
      int length = 3 + random.nextInt(8);
      for (int k = 0; k < length; k++) {
        int g = random.nextInt(3);
        int w = random.nextInt(8);
        if (g == 1 && w == 3 && i % 3 != 0) {
          w = 4;
        }
        text.append(k == 0 ? "" : " ").append(org.neurite.testbed.PlantedModel.word(g, w));
      }
      if (i % 3 == 0) {
        text.append(" g1_3 g0_0");
      }
      examples.add(new Example(i + 1, "s" + i, text.toString(), null, null));
    }
  }

  @AfterAll
  static void close() {
    models.close();
  }

  static MassiveActivations run(LanguageModel model, List<Example> some, int batchSize) {
    MassiveActivations result = new MassiveActivations();
    Batches batches = new Batches(some.stream(), new Tokenization(model, 64), null, batchSize, TokenBatch.Padding.LEFT);
    while (batches.hasNext()) {
      MassiveStep.add(result, model, batches.next(), OPTIONS, PlantedTestbed.BACKEND, "cpu");
    }
    return result;
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void theMassiveActivationIsFoundWherePlanted(String dtype) throws Exception {
    LanguageModel model = models.load(dir.resolve("models/massive-planted"), dtype);
    MassiveActivations result = run(model, examples, 5);
    assertEquals(List.of("blocks.0.hook_resid_pre", "blocks.0.hook_resid_post", "blocks.1.hook_resid_post"),
        List.copyOf(result.sites().keySet()));
    long planted = tiny.token(1, 3);
    for (Map.Entry<String, MassiveActivations.Site> e : result.sites().entrySet()) {
      for (MassiveActivations.Sequence s : e.getValue().sequences) {
        SequenceMagnitudes m = s.magnitudes();
        boolean holds = examples.get((int) s.example()).text().contains("g1_3");
        if (holds) {
          assertEquals(planted, s.tokenAtMax(), e.getKey() + " " + s.id());
          assertEquals(5, m.maxUnit(), e.getKey() + " " + s.id());
          assertEquals(m.positions() - 2, m.maxPosition(), "g1_3 is the second-last token");
          assertTrue(m.maxAbs() > 400 && m.ratio() >= 1000, e.getKey() + " " + s.id() + ": " + m);
          assertTrue(s.maxIsMassive(100, 1000));
          assertTrue(m.massive() >= 1);
        } else {
          assertTrue(m.maxAbs() < 100, e.getKey() + " " + s.id() + ": " + m.maxAbs());
          assertEquals(0, m.massive());
        }
      }
      System.out.printf("massive planted (%s) %s: mean ratio %.1f +- %.1f, largest |h| %.1f at token %d dim %d%n",
          dtype, e.getKey(), e.getValue().meanRatio(), e.getValue().semRatio(), e.getValue().largest().magnitudes().maxAbs(),
          e.getValue().largest().tokenAtMax(), e.getValue().largest().magnitudes().maxUnit());
    }
    NeuronSet set = MassiveStep.neurons(result, OPTIONS);
    assertEquals(List.of(new Unit("blocks.0.hook_resid_post", 5), new Unit("blocks.0.hook_resid_pre", 5),
        new Unit("blocks.1.hook_resid_post", 5)).stream().sorted().toList(), set.units("massive"));
    // one at a time equals the padded batch; shards merge into the whole
    MassiveActivations alone = run(model, examples, 1);
    MassiveActivations merged = run(model, examples.subList(0, 7), 3).merge(run(model, examples.subList(7, 12), 4));
    for (String hook : result.sites().keySet()) {
      List<MassiveActivations.Sequence> batched = result.sites().get(hook).sequences;
      for (MassiveActivations other : List.of(alone, merged)) {
        List<MassiveActivations.Sequence> theirs = other.sites().get(hook).sequences;
        assertEquals(batched.size(), theirs.size());
        for (int i = 0; i < batched.size(); i++) {
          assertSame(batched.get(i), theirs.get(i), dtype.equals("float64") ? 1e-12 : 1e-5, hook);
        }
      }
      assertEquals(result.sites().get(hook).meanRatio(), merged.sites().get(hook).meanRatio(),
          1e-5 * result.sites().get(hook).meanRatio());
      assertEquals(result.sites().get(hook).tokens.keySet(), merged.sites().get(hook).tokens.keySet());
    }
  }

  private static void assertSame(MassiveActivations.Sequence a, MassiveActivations.Sequence b, double tolerance,
      String hook) {
    String what = hook + " " + a.id();
    assertEquals(a.example(), b.example(), what);
    assertEquals(a.tokenAtMax(), b.tokenAtMax(), what);
    SequenceMagnitudes x = a.magnitudes();
    SequenceMagnitudes y = b.magnitudes();
    assertEquals(x.positions(), y.positions(), what);
    assertEquals(x.maxPosition(), y.maxPosition(), what);
    assertEquals(x.maxUnit(), y.maxUnit(), what);
    assertEquals(x.maxAbs(), y.maxAbs(), tolerance * x.maxAbs(), what);
    assertEquals(x.median(), y.median(), tolerance * x.median(), what);
    assertEquals(x.massive(), y.massive(), what);
    double[] p = x.positionRatios();
    double[] q = y.positionRatios();
    for (int i = 0; i < p.length; i++) {
      assertEquals(p[i], q[i], tolerance * p[i], what + " position " + i);
    }
  }
}
