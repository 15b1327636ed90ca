package org.neurite.methods.safety.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.analysis.contrast.ProbeOptions;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.testbed.PlantedModel;

/** Each kind of bad input to neurons.neurostrike, with its message; every failure leaves no scope open. */
class NeuroStrikeErrorsTest {
  @TempDir static Path dir;
  static PlantedTestbed testbed;
  static final List<String> HOOKS = List.of("blocks.1.mlp.hook_pre");

  @BeforeAll
  static void load() throws Exception {
    testbed = new PlantedTestbed(dir, new PlantedModel().groups(2).dMlp(16), "float32", 2);
  }

  @AfterAll
  static void close() {
    testbed.close();
  }

  private static Example labelled(long line, String text, String harmful) {
    return new Example(line, "p" + line, text, harmful, null);
  }

  private static String fails(Runnable run) {
    int open = PlantedTestbed.BACKEND.openScopes();
    NeuriteException e = assertThrows(NeuriteException.class, run::run);
    assertEquals(open, PlantedTestbed.BACKEND.openScopes(), "a failure left a scope open");
    return e.getMessage();
  }

  @Test
  void aLabelFieldTheExamplesDoNotHaveIsNamed() {
    List<Example> examples = List.of(labelled(1, "g0_1 g0_2", "true"), labelled(2, "g1_1", "false"));
    assertEquals("Step probe: example p1 (line 1) has no label field 'harmful'; give the dataset step the field as"
        + " label (or keep it in labels) and name it in group_by.", fails(() -> Probing.features(testbed.model,
            examples, HOOKS, Pooling.MAX_WITH_PADDING, "harmful", "true", "false", 4)));
  }

  @Test
  void oneClassOnlyIsRefused() {
    List<Example> examples = List.of(labelled(1, "g0_1 g0_2", "true"), labelled(2, "g1_1", "true"));
    assertEquals("Step probe: every one of the 2 prompts has label 'true'; the probe needs both harmful ('true') and"
        + " harmless ('false') prompts.", fails(() -> Probing.features(testbed.model, examples, HOOKS,
            Pooling.MAX_WITH_PADDING, "label", "true", "false", 4)));
  }

  @Test
  void aValueThatIsNeitherClassIsNamed() {
    List<Example> examples = List.of(labelled(1, "g0_1 g0_2", "true"), labelled(2, "g1_1", "yes"));
    assertEquals("Step probe: example p2 (line 2) has label 'yes', neither the positive value 'true' nor the negative"
        + " 'false'; set positive and negative to the field's two values.", fails(() -> Probing.features(
            testbed.model, examples, HOOKS, Pooling.MAX_WITH_PADDING, "label", "true", "false", 4)));
  }

  @Test
  void theSameValueForBothClassesAndPerTokenPoolingAreRefused() {
    assertEquals("Step p: positive and negative are both 'true'; name the harmful and the harmless value of the"
        + " label field label.", fails(() -> new PooledFeatures(testbed.model, HOOKS, Positions.ALL, Pooling.MAX,
            "label", "true", "true", "Step p")));
    assertEquals("Step p: pooling 'tokens' gives one row per token; the probe needs one row per prompt. Use"
        + " max_with_padding (the authors'), max, mean or last.", fails(() -> new PooledFeatures(testbed.model, HOOKS,
            Positions.ALL, Pooling.TOKENS, "label", "true", "false", "Step p")));
  }

  @Test
  void aBadThresholdOrPrefixIsRefused() {
    NeuroStrike.Features features = new NeuroStrike.Features(Map.of("blocks.0.mlp.hook_pre",
        new double[][] {{1, 0}, {0, 1}}), new boolean[] {true, false}, List.of("a", "b"));
    try (var scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      assertEquals("Step s: z_threshold is -1.0; give a value >= 0 (the authors' 3).", fails(() -> NeuroStrike.run(
          features, new NeuroStrike.Options(ProbeOptions.neuroStrike(), -1, true, List.of(25), "safety"), 2, null,
          scope, "Step s")));
      assertEquals("Step s: prefix_percents has 0; give percentages of the depth in 1..100 (the authors' [25, 50, 75,"
          + " 100]).", fails(() -> NeuroStrike.run(features, new NeuroStrike.Options(ProbeOptions.neuroStrike(), 3,
              true, List.of(0), "safety"), 2, null, scope, "Step s")));
    }
  }

  @Test
  void aNonFiniteActivationNamesTheModule() {
    NeuroStrike.Features features = new NeuroStrike.Features(Map.of("blocks.0.mlp.hook_pre",
        new double[][] {{1, Double.NaN}, {0, 1}}), new boolean[] {true, false}, List.of("a", "b"));
    try (var scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      assertEquals("Step s: the probe of blocks.0.mlp.hook_pre cannot be fitted: Probe features contain NaN or"
          + " infinite values: drop or fill those examples first.", fails(() -> NeuroStrike.run(features,
              new NeuroStrike.Options(ProbeOptions.neuroStrike(), 3, true, List.of(25), "safety"), 2, null, scope,
              "Step s")));
    }
  }

  @Test
  void prefixesFollowTheAuthorsRounding() {
    assertEquals(0, NeuroStrike.lastLayer(25, 2));
    assertEquals(1, NeuroStrike.lastLayer(50, 2));
    assertEquals(1, NeuroStrike.lastLayer(100, 2));
    assertEquals(4, NeuroStrike.lastLayer(25, 16), "int(16 * 0.25) = 4: layers 0..4");
    assertEquals(15, NeuroStrike.lastLayer(100, 16), "num_mlp - 1");
    assertEquals(21, NeuroStrike.lastLayer(75, 28), "Qwen2.5-7B: int(28 * 0.75) = 21");
  }
}
