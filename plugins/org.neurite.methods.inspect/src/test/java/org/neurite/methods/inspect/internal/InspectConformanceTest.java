package org.neurite.methods.inspect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.stats.MedianRule;
import org.neurite.analysis.weights.UnitDirection;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * What every step of the kit must hold, for both methods on the reference's tiny GPT-2: no scope is
 * left open, on success or failure; a second run gives the same numbers; bad input is one message.
 */
class InspectConformanceTest {
  @TempDir static Path workspace;
  static Models models;
  static LanguageModel model;

  @BeforeAll
  static void load() {
    models = new Models(workspace);
    model = models.load(InspectReferenceTest.REFERENCE.resolve("tiny-gpt2"), "float32");
  }

  @AfterAll
  static void close() {
    models.close();
  }

  private static Decoding.Result decode(UnitDirection direction) {
    return Decoding.run(model.spec(), models.store(model), PlantedTestbed.BACKEND, "cpu",
        new Decoding.Options(List.of(0, 1), direction, true, 4, 48), "Step d");
  }

  private static MassiveActivations massive(List<String> hooks) {
    MassiveActivations result = new MassiveActivations();
    Batches batches = new Batches(List.of(new Example(1, "a", "the dog sits", null, null),
        new Example(2, "b", "the cat eats bread", null, null)).stream(), new Tokenization(model, 64), null, 2,
        TokenBatch.Padding.LEFT);
    MassiveStep.add(result, model, batches.next(), new MassiveStep.Options(hooks, MedianRule.LOWER, 100, 1000),
        PlantedTestbed.BACKEND, "cpu");
    return result;
  }

  @Test
  void noScopeOutlivesARunAndTwoRunsAgree() {
    int open = PlantedTestbed.BACKEND.openScopes();
    Decoding.Result a = decode(UnitDirection.OUTPUT);
    Decoding.Result b = decode(UnitDirection.OUTPUT);
    assertEquals(open, PlantedTestbed.BACKEND.openScopes(), "decode left a scope open");
    for (int i = 0; i < a.units().size(); i++) {
      assertArrayEquals(a.units().get(i).ids(), b.units().get(i).ids());
      assertArrayEquals(a.units().get(i).probabilities(), b.units().get(i).probabilities());
    }
    List<String> hooks = List.of("blocks.*.hook_resid_post");
    MassiveActivations x = massive(hooks);
    MassiveActivations y = massive(hooks);
    assertEquals(open, PlantedTestbed.BACKEND.openScopes(), "stats.massive left a scope open");
    x.sites().forEach((hook, site) -> assertEquals(site.sequences.stream().map(s -> s.magnitudes()).toList(),
        y.sites().get(hook).sequences.stream().map(s -> s.magnitudes()).toList(), hook));
  }

  @Test
  void failuresCloseTheirScopesAndSayWhatToFix() {
    int open = PlantedTestbed.BACKEND.openScopes();
    NeuriteException gate = assertThrows(NeuriteException.class, () -> decode(UnitDirection.GATE));
    assertEquals("Family gpt2 has no gated MLP, so its neurons have no gate weights; read input or output.",
        gate.getMessage());
    NeuriteException hook = assertThrows(NeuriteException.class, () -> massive(List.of("blocks.*.hook_resid_postt")));
    assertTrue(hook.getMessage().contains("blocks.*.hook_resid_postt"), hook.getMessage());
    assertEquals(open, PlantedTestbed.BACKEND.openScopes(), "a failure left a scope open");
    NeuriteException median = assertThrows(NeuriteException.class, () -> MassiveStep.median("average", "Step m"));
    assertEquals("Step m: median 'average' is not one of lower (torch.median), midpoint (numpy.median).",
        median.getMessage());
    NeuriteException bias = assertThrows(NeuriteException.class, () -> Decoding.run(model.spec(), models.store(model),
        PlantedTestbed.BACKEND, "cpu", new Decoding.Options(List.of(0), UnitDirection.INPUT, true, 4, 0), "Step d"));
    assertEquals("Step d: units_per_batch is 0; give at least 1.", bias.getMessage());
  }
}
