package org.neurite.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.analysis.attribution.Attributions;
import org.neurite.analysis.attribution.Target;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.TokenBatch;
import org.neurite.testbed.PlantedModel;

/**
 * Gradient x activation equals activation times a central finite difference of the target; integrated
 * gradients are complete (they add up to target(x) - target(baseline)); batches equal single sequences.
 * The testbed is planted softly here, so that the target is smooth along the integration path.
 */
class AttributionTest {
  @TempDir static Path dir;
  static Planted planted;
  static Batches.Batch batch;
  static final String HOOK = "blocks.1.mlp.hook_post";
  static final long[] ANSWERS = {5, 14};

  @BeforeAll
  static void load() throws Exception {
    planted = new Planted(dir, new PlantedModel().groups(3).plantedPerGroup(2).scales(2, 0.5, 0.5).seed(31), "float64", 2);
    batch = new Batches(planted.stream().limit(2).map(e -> e), new Tokenization(planted.model, 7), "group", 2,
        TokenBatch.Padding.LEFT).next();
  }

  @AfterAll
  static void close() {
    planted.close();
  }

  private double target(double[] scaleOfUnit, int unit, int sequence) {
    return target(HOOK, scaleOfUnit[0], unit, sequence);
  }

  /** The target with one unit of a hook point scaled; a [batch, pos, heads, d_head] value's unit is h * d_head + d. */
  private double target(String hook, double scale, int unit, int sequence) {
    try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
      Hooks hooks = Hooks.none().replace(hook, (name, value, tokens) -> {
        ai.djl.ndarray.types.Shape shape = value.getShape();
        double[] factors = new double[(int) (shape.size() / (shape.get(0) * shape.get(1)))];
        java.util.Arrays.fill(factors, 1);
        factors[unit] = scale;
        ai.djl.ndarray.types.Shape perUnit = shape.dimension() == 4
            ? new ai.djl.ndarray.types.Shape(shape.get(2), shape.get(3)) : new ai.djl.ndarray.types.Shape(factors.length);
        return value.mul(value.getManager().create(factors, perUnit).toType(value.getDataType(), false));
      });
      return Target.values(Target.nextTokenLogProb(ANSWERS).apply(planted.model.forward(batch.tokens(), hooks, scope),
          batch))[sequence];
    }
  }

  @Test
  void gradientTimesActivationEqualsTheFiniteDifferenceOfScalingEachUnit() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    Attributions.Result result = attributions.gradientTimesActivation(planted.model, batch, HOOK,
        Target.nextTokenLogProb(ANSWERS), Positions.ALL, Pooling.MEAN, false);
    // summed over positions, a_i * df/da_i = d f(a with unit i scaled by s) / ds at s = 1
    int tokens0 = batch.tokens().length(0);
    double worst = 0;
    for (int unit : new int[] {0, 1, 10, 15, 30}) {
      double eps = 1e-5;
      double fd = (target(new double[] {1 + eps}, unit, 0) - target(new double[] {1 - eps}, unit, 0)) / (2 * eps);
      double ours = result.scores()[0][unit] * tokens0;
      worst = Math.max(worst, Math.abs(fd - ours) / Math.max(1e-6, Math.abs(fd)));
      assertTrue(Math.abs(fd - ours) <= 1e-6 * Math.max(1, Math.abs(fd)), "unit " + unit + ": " + ours + " vs " + fd);
    }
    System.out.printf("grad x act vs finite differences: worst relative difference %.3g%n", worst);
  }

  @Test
  void weightedByProbabilityIsCulnigsProbabilityTimesTheGradientOfTheProbability() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    Attributions.Result result = attributions.gradientTimesActivation(planted.model, batch, HOOK,
        Target.nextTokenLogProb(ANSWERS), Positions.ALL, Pooling.MEAN, true);
    // CULNIG: p * sum_t a * dp/da = p * d p(unit scaled by s) / ds at s = 1 (p, not log p, is differentiated)
    int tokens0 = batch.tokens().length(0);
    double p = Math.exp(result.target()[0]);
    for (int unit : new int[] {0, 1, 10, 15, 30}) {
      double eps = 1e-5;
      double fd = p * (Math.exp(target(new double[] {1 + eps}, unit, 0)) - Math.exp(target(new double[] {1 - eps}, unit, 0)))
          / (2 * eps);
      double ours = result.scores()[0][unit] * tokens0;
      assertTrue(Math.abs(fd - ours) <= 1e-6 * Math.max(1e-3, Math.abs(fd)), "unit " + unit + ": " + ours + " vs " + fd);
    }
    System.out.printf("weighted grad x act: p(y) = %.4f, so the score is p^2 x the log-probability attribution%n", p);
  }

  @Test
  void attentionProjectionUnitsAreHeadTimesDHeadChannels() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    int width = planted.model.spec().kvHeads() * planted.model.spec().dHead();
    assertTrue(width == org.neurite.analysis.intervene.HookWidths.of(planted.model.spec(), "blocks.0.attn.hook_k"));
    for (String hook : new String[] {"blocks.0.attn.hook_k", "blocks.1.attn.hook_q", "blocks.0.attn.hook_v"}) {
      Attributions.Result result = attributions.gradientTimesActivation(planted.model, batch, hook,
          Target.nextTokenLogProb(ANSWERS), Positions.ALL, Pooling.MEAN, false);
      assertTrue(result.scores()[0].length == width, hook + ": " + result.scores()[0].length + " units");
      int tokens0 = batch.tokens().length(0);
      for (int unit : new int[] {0, planted.model.spec().dHead() + 1, width - 1}) {
        double eps = 1e-5;
        double fd = (target(hook, 1 + eps, unit, 0) - target(hook, 1 - eps, unit, 0)) / (2 * eps);
        double ours = result.scores()[0][unit] * tokens0;
        assertTrue(Math.abs(fd - ours) <= 1e-6 * Math.max(1, Math.abs(fd)), hook + " unit " + unit + ": " + ours
            + " vs " + fd);
      }
    }
  }

  @Test
  void zeroingAnAttentionChannelEqualsZeroingThatHeadAndDimension() {
    String hook = "blocks.0.attn.hook_v";
    int dHead = planted.model.spec().dHead();
    int unit = dHead + 2;
    var intervention = new org.neurite.analysis.intervene.Intervention(hook, new int[] {unit},
        new org.neurite.analysis.intervene.Operation.Zero(), Positions.ALL);
    double viaUnits = run(intervention.addTo(Hooks.none()))[0];
    double viaScale = target(hook, 0, unit, 0);
    assertTrue(Math.abs(viaUnits - viaScale) <= 1e-12 * Math.abs(viaScale), viaUnits + " vs " + viaScale);
    assertTrue(Math.abs(viaUnits - target(hook, 1, unit, 0)) > 1e-9, "the intervention changed nothing");
  }

  private double[] run(Hooks hooks) {
    try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
      return Target.values(Target.nextTokenLogProb(ANSWERS).apply(planted.model.forward(batch.tokens(), hooks, scope),
          batch));
    }
  }

  @Test
  void integratedGradientsAreCompleteAtFiftySteps() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    Attributions.Result ig = attributions.integratedGradients(planted.model, batch, HOOK, Target.nextTokenLogProb(ANSWERS),
        Positions.ALL, 50, null);
    double[] atZero;
    try (NDManager scope = Planted.BACKEND.newScope("cpu")) {
      atZero = Target.values(Target.nextTokenLogProb(ANSWERS).apply(planted.model.forward(batch.tokens(),
          Hooks.none().replace(HOOK, (n, v, t) -> v.mul(0)), scope), batch));
    }
    for (int i = 0; i < 2; i++) {
      double sum = java.util.Arrays.stream(ig.scores()[i]).sum();
      double expected = ig.target()[i] - atZero[i];
      System.out.printf("IG sequence %d: sum %.6f, f(x) - f(0) %.6f%n", i, sum, expected);
      assertTrue(Math.abs(sum - expected) <= 0.01 * Math.abs(expected), "completeness within 1%: " + sum + " vs " + expected);
    }
  }

  @Test
  void aBatchGivesEachSequenceWhatItGetsAlone() {
    Attributions attributions = new Attributions(Planted.BACKEND, "cpu");
    Attributions.Result together = attributions.gradientTimesActivation(planted.model, batch, HOOK,
        Target.nextTokenLogProb(ANSWERS), Positions.ALL, Pooling.MAX, false);
    for (int i = 0; i < 2; i++) {
      Batches.Batch alone = new Batches(List.of(planted.examples.get(i)).stream(), new Tokenization(planted.model, 7),
          "group", 1, TokenBatch.Padding.LEFT).next();
      Attributions.Result single = attributions.gradientTimesActivation(planted.model, alone, HOOK,
          Target.nextTokenLogProb(new long[] {ANSWERS[i]}), Positions.ALL, Pooling.MAX, false);
      for (int u = 0; u < single.scores()[0].length; u++) {
        double a = together.scores()[i][u];
        double b = single.scores()[0][u];
        assertTrue(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), "sequence " + i + " unit " + u + ": " + a + " vs " + b);
      }
    }
  }
}
