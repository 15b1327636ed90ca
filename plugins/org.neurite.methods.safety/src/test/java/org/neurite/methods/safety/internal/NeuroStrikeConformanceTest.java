package org.neurite.methods.safety.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.api.data.Example;
import org.neurite.testbed.PlantedModel;

/**
 * What every step of the kit must hold, for neurons.neurostrike on the planted testbed: no scope is
 * left open; two runs give the same numbers; a padded batch pooled over its own tokens ({@code max})
 * gives each prompt's row alone, while {@code max_with_padding} (the authors') reads the padding
 * too and so does not for a prompt shorter than its batch; several modules at once equal one at a
 * time.
 */
class NeuroStrikeConformanceTest {
  @TempDir static Path dir;
  static PlantedTestbed testbed;
  static final List<String> HOOKS = List.of("blocks.0.mlp.hook_pre", "blocks.1.mlp.hook_pre_linear");

  @BeforeAll
  static void load() throws Exception {
    testbed = new PlantedTestbed(dir, new PlantedModel().groups(2).dMlp(32).seed(5), "float32", 6);
  }

  @AfterAll
  static void close() {
    testbed.close();
  }

  /** The testbed's sentences cut to 3 to 9 words, so that batches are padded. */
  private static List<Example> unequal() {
    List<Example> out = new ArrayList<>();
    for (Example x : testbed.examples) {
      String[] words = x.text().split(" ");
      int keep = 3 + (int) (x.line() % 7);
      out.add(new Example(x.line(), x.id(), String.join(" ", Arrays.copyOf(words, keep)), null, x.group()));
    }
    return out;
  }

  private static NeuroStrike.Features features(List<String> hooks, Pooling pooling, int batch) {
    return Probing.features(testbed.model, unequal(), hooks, pooling, "group", "g0", "g1", batch);
  }

  @Test
  void noScopeOutlivesARunAndTwoRunsAgree() {
    int open = PlantedTestbed.BACKEND.openScopes();
    ProbeOptions probe = ProbeOptions.neuroStrike().withMaxIterations(400);
    NeuroStrike.Result a = Probing.run(features(HOOKS, Pooling.MAX_WITH_PADDING, 4), probe, 2, null);
    NeuroStrike.Result b = Probing.run(features(HOOKS, Pooling.MAX_WITH_PADDING, 4), probe, 2, null);
    assertEquals(open, PlantedTestbed.BACKEND.openScopes(), "a run left a scope open");
    assertEquals(a.weights(), b.weights());
    assertEquals(a.neurons(), b.neurons());
    assertEquals(a.prefixes(), b.prefixes());
  }

  @Test
  void aBatchPooledOverItsOwnTokensEqualsEachPromptAlone() {
    NeuroStrike.Features batched = features(HOOKS, Pooling.MAX, 5);
    NeuroStrike.Features alone = features(HOOKS, Pooling.MAX, 1);
    assertEquals(alone.ids(), batched.ids());
    assertArrayEquals(alone.harmful(), batched.harmful());
    for (String hook : HOOKS) {
      double[][] x = batched.byHook().get(hook);
      double[][] y = alone.byHook().get(hook);
      for (int i = 0; i < x.length; i++) {
        for (int u = 0; u < x[i].length; u++) {
          assertEquals(y[i][u], x[i][u], 1e-5, hook + " prompt " + i + " unit " + u);
        }
      }
    }
    NeuroStrike.Features padded = features(HOOKS, Pooling.MAX_WITH_PADDING, 1);
    NeuroStrike.Features paddedBatch = features(HOOKS, Pooling.MAX_WITH_PADDING, 5);
    int differ = 0;
    for (String hook : HOOKS) {
      double[][] x = padded.byHook().get(hook);
      double[][] y = alone.byHook().get(hook);
      double[][] z = paddedBatch.byHook().get(hook);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(y[i], x[i], 1e-5, "alone, a prompt has no padding: " + hook + " prompt " + i);
        differ += Arrays.equals(y[i], z[i]) ? 0 : 1;
      }
    }
    assertTrue(differ > 0, "max_with_padding reads the padding of a batch");
  }

  @Test
  void severalModulesAtOnceEqualOneAtATime() {
    ProbeOptions probe = ProbeOptions.neuroStrike().withMaxIterations(200);
    NeuroStrike.Result both = Probing.run(features(HOOKS, Pooling.MAX_WITH_PADDING, 4), probe, 2, null);
    for (String hook : HOOKS) {
      NeuroStrike.Result one = Probing.run(features(List.of(hook), Pooling.MAX_WITH_PADDING, 4), probe, 2, null);
      assertArrayEquals(one.fits().get(hook).weights(), both.fits().get(hook).weights(), 1e-12, hook);
      assertEquals(one.neurons().units(), both.neurons().units().stream().filter(u -> u.hook().equals(hook)).toList());
    }
  }
}
