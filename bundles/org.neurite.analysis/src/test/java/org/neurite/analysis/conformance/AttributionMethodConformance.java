package org.neurite.analysis.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.neurite.analysis.attribution.AttributionCall;
import org.neurite.analysis.attribution.AttributionMethod;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.GroupMeans;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.select.Selection;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.analysis.Unit;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * The conformance kit every attribution method's tests extend (docs/plugin-authoring.md): on the
 * planted-unit testbed, a method gives one score per example and unit, a batch gives each example
 * what it gets alone, it is deterministic, it closes every scope it opens and leaves no hook behind
 * (after success and after failure), and its scores recover the planted units. A subclass names the
 * method, and may change the target, pooling, steps or the precision it must reach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AttributionMethodConformance {
  private Path dir;
  private PlantedTestbed testbed;

  /** The method under test. */
  protected abstract AttributionMethod method();

  /** The target the method explains on the testbed: the mean log-likelihood of each sentence. */
  protected Target target() {
    return Target.responseLogLikelihood();
  }

  protected Pooling pooling() {
    return Pooling.MEAN;
  }

  protected int steps() {
    return 16;
  }

  /** Whether the calls weight by p(y) (CULNIG's score, {@link AttributionCall#weightByProbability()}). */
  protected boolean weightByProbability() {
    return false;
  }

  /** The precision at k (k = planted units per group) the method's mean scores must reach. */
  protected double minimumPrecision() {
    return 0.95;
  }

  /**
   * The units the method's mean scores on group g's examples should rank first: by default g's
   * planted units. A method whose scores mean something else on the testbed says what it expects.
   */
  protected int[] expectedUnits(PlantedTestbed testbed, String group) {
    return testbed.planted.planted().get(group);
  }

  /** 1 if the expected units have the highest scores, -1 if the lowest (most negative). */
  protected double direction() {
    return 1;
  }

  @BeforeAll
  void load() throws Exception {
    dir = Files.createTempDirectory("conformance-");
    testbed = new PlantedTestbed(dir, new PlantedModel().groups(3).plantedPerGroup(3).dMlp(64).seed(41), "float32", 12);
  }

  @AfterAll
  void close() throws Exception {
    testbed.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Attributions.Result call(Batches batcher, Batches.Batch batch, String hook) {
    Batches.Batch corrupted = method().needsCorrupted() ? batcher.corrupted(batch, "conformance") : null;
    return method().attribute(new AttributionCall(testbed.model, batch, corrupted, hook, target(), Positions.ALL,
        pooling(), steps(), weightByProbability(), PlantedTestbed.BACKEND, "cpu"));
  }

  private Attributions.Result callOn(List<org.neurite.api.data.Example> examples, String hook) {
    Batches batcher = testbed.batcher(examples.stream(), examples.size(), TokenBatch.Padding.LEFT);
    return call(batcher, batcher.next(), hook);
  }

  @Test
  void givesOneScorePerExampleAndUnitAndTheTargetPerExample() {
    List<org.neurite.api.data.Example> some = testbed.examples.subList(0, 5);
    Attributions.Result result = callOn(some, testbed.planted.hook());
    assertEquals(5, result.scores().length, "a row per example");
    for (double[] row : result.scores()) {
      assertEquals(testbed.model.spec().dMlp(), row.length, "a score per unit of " + testbed.planted.hook());
      for (double v : row) {
        assertTrue(Double.isFinite(v), "finite scores");
      }
    }
    assertEquals(5, result.target().length, "the target per example");
  }

  @Test
  void aBatchGivesEachExampleWhatItGetsAlone() {
    // examples of different token lengths, so the batch is padded
    List<org.neurite.api.data.Example> some = new ArrayList<>(testbed.examples.subList(0, 4));
    some.add(new org.neurite.api.data.Example(99, "short", "g0_1 g0_2 g0_3", null, "g0", null, null, null,
        new org.neurite.api.data.Example.Contrast("g1_1 g1_2 g1_3", null, null), null));
    Attributions.Result batched = callOn(some, testbed.planted.hook());
    for (int i = 0; i < some.size(); i++) {
      Attributions.Result alone = callOn(List.of(some.get(i)), testbed.planted.hook());
      double scale = 0;
      for (double v : alone.scores()[0]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int u = 0; u < alone.scores()[0].length; u++) {
        assertEquals(alone.scores()[0][u], batched.scores()[i][u], 1e-4 * Math.max(scale, 1e-6),
            "example " + i + " unit " + u + ": batched (padded) equals alone");
      }
    }
  }

  @Test
  void scoringSeveralHookPointsAtOnceEqualsOneCallPerHookPoint() {
    List<org.neurite.api.data.Example> some = testbed.examples.subList(0, 4);
    Batches batcher = testbed.batcher(some.stream(), some.size(), TokenBatch.Padding.LEFT);
    Batches.Batch batch = batcher.next();
    Batches.Batch corrupted = method().needsCorrupted() ? batcher.corrupted(batch, "conformance") : null;
    List<String> hooks = List.of(testbed.planted.hook(), "blocks.0.mlp.hook_pre", "blocks.0.attn.hook_v");
    Map<String, Attributions.Result> all = method().attributeAll(new AttributionCall(testbed.model, batch, corrupted,
        hooks.get(0), target(), Positions.ALL, pooling(), steps(), weightByProbability(), PlantedTestbed.BACKEND, "cpu"),
        hooks);
    assertEquals(hooks, List.copyOf(all.keySet()), "a result per hook point, in order");
    for (String hook : hooks) {
      Attributions.Result one = call(batcher, batch, hook);
      for (int i = 0; i < one.scores().length; i++) {
        assertArrayEquals(one.scores()[i], all.get(hook).scores()[i], 1e-6, hook + " example " + i);
      }
    }
  }

  @Test
  void isDeterministic() {
    List<org.neurite.api.data.Example> some = testbed.examples.subList(0, 6);
    Attributions.Result first = callOn(some, testbed.planted.hook());
    Attributions.Result second = callOn(some, testbed.planted.hook());
    for (int i = 0; i < first.scores().length; i++) {
      assertArrayEquals(first.scores()[i], second.scores()[i], 0.0, "example " + i);
    }
  }

  @Test
  void closesEveryScopeAndLeavesNoHookBehindOnSuccessAndOnFailure() {
    List<org.neurite.api.data.Example> some = testbed.examples.subList(0, 3);
    float[] before = logits(some);
    int scopes = PlantedTestbed.BACKEND.openScopes();
    callOn(some, testbed.planted.hook());
    assertEquals(scopes, PlantedTestbed.BACKEND.openScopes(), "every scope it opened is closed after success");
    assertArrayEquals(before, logits(some), 0f, "the model computes as before: no hook survives");
    assertThrows(RuntimeException.class, () -> callOn(some, "blocks.0.no_such_hook"), "a hook point the model lacks");
    assertEquals(scopes, PlantedTestbed.BACKEND.openScopes(), "every scope it opened is closed after failure");
    assertArrayEquals(before, logits(some), 0f, "the model computes as before after a failure");
  }

  @Test
  void recoversThePlantedUnits() {
    GroupMeans means = new GroupMeans(testbed.planted.groupNames());
    Batches batcher = testbed.batcher(testbed.stream(), 8, TokenBatch.Padding.LEFT);
    while (batcher.hasNext()) {
      Batches.Batch batch = batcher.next();
      means.add(testbed.planted.hook(), batch, call(batcher, batch, testbed.planted.hook()).scores());
    }
    UnitScores mean = means.scores(method().name());
    Map<String, Map<String, float[]>> directed = new LinkedHashMap<>();
    mean.scores().forEach((hook, byGroup) -> {
      Map<String, float[]> flipped = new LinkedHashMap<>();
      byGroup.forEach((group, values) -> {
        float[] v = values.clone();
        for (int u = 0; u < v.length; u++) {
          v[u] *= (float) direction();
        }
        flipped.put(group, v);
      });
      directed.put(hook, flipped);
    });
    Selection selection = new Selection(new UnitScores(mean.statistic(), directed), "conformance");
    int hits = 0;
    int total = 0;
    for (String group : testbed.planted.groupNames()) {
      int[] truth = expectedUnits(testbed, group);
      Set<Integer> expected = new HashSet<>();
      for (int u : truth) {
        expected.add(u);
      }
      NeuronSet chosen = selection.topK(group, truth.length);
      for (Unit unit : chosen.units(group)) {
        total++;
        hits += expected.contains(unit.index()) ? 1 : 0;
      }
    }
    double precision = (double) hits / total;
    System.out.printf("conformance: %s recovers the planted units with precision@k %.3f%n", method().name(), precision);
    assertTrue(precision >= minimumPrecision(), method().name() + ": precision@k " + precision);
  }

  private float[] logits(List<org.neurite.api.data.Example> examples) {
    Batches batcher = testbed.batcher(examples.stream(), examples.size(), TokenBatch.Padding.LEFT);
    try (NDManager scope = PlantedTestbed.BACKEND.newScope("cpu")) {
      return testbed.model.forward(batcher.next().tokens(), Hooks.none(), scope).logits().toFloatArray();
    }
  }
}
