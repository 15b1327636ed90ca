package org.neurite.analysis.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.TestBackend;
import org.neurite.api.NeuriteException;

/**
 * The probe: at the L-BFGS solution the gradient, recomputed in plain Java, is 0; Adam is
 * deterministic for a seed; NeuroStrike's z rule finds a planted positive unit and not a planted
 * negative one.
 */
class LogisticProbeTest {
  private static final int N = 240;
  private static final int UNITS = 30;
  private static TestBackend backend;
  private static double[][] x;
  private static boolean[] y;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
    Random random = new Random(99);
    x = new double[N][UNITS];
    y = new boolean[N];
    for (int i = 0; i < N; i++) {
      y[i] = random.nextBoolean();
      for (int u = 0; u < UNITS; u++) {
        x[i][u] = 3 + 2 * random.nextGaussian();
      }
      x[i][4] += y[i] ? 1.5 : -1.5;    // planted: fires for the positive class
      x[i][9] += y[i] ? -1.5 : 1.5;    // planted: fires for the negative class
      x[i][17] = 5;                    // constant: scale 1, weight pulled to 0
    }
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  private static ProbeFit fit(ProbeOptions options) {
    try (NDManager scope = backend.newScope("cpu")) {
      float[] flat = new float[N * UNITS];
      for (int i = 0; i < N; i++) {
        for (int u = 0; u < UNITS; u++) {
          flat[i * UNITS + u] = (float) x[i][u];
        }
      }
      NDArray features = scope.create(flat, new Shape(N, UNITS));
      ProbeFit fit = LogisticProbe.fit(features, y, options);
      assertEquals(1, scope.getManagedArrays().size(), "only the caller's features remain");
      return fit;
    }
  }

  /** The objective's gradient in plain Java, on features standardised here. */
  private static double[] javaGradient(ProbeFit fit, double l2) {
    double[] w = fit.weights();
    double[] g = new double[UNITS + 1];
    double[] mean = new double[UNITS];
    double[] scale = new double[UNITS];
    for (int u = 0; u < UNITS; u++) {
      double s = 0;
      for (int i = 0; i < N; i++) {
        s += (float) x[i][u];
      }
      mean[u] = s / N;
      double m2 = 0;
      for (int i = 0; i < N; i++) {
        m2 += ((float) x[i][u] - mean[u]) * ((float) x[i][u] - mean[u]);
      }
      scale[u] = m2 == 0 ? 1 : Math.sqrt(m2 / N);
    }
    for (int i = 0; i < N; i++) {
      double z = fit.bias();
      for (int u = 0; u < UNITS; u++) {
        z += w[u] * ((float) x[i][u] - mean[u]) / scale[u];
      }
      double r = (1 / (1 + Math.exp(-z)) - (y[i] ? 1 : 0)) / N;
      for (int u = 0; u < UNITS; u++) {
        g[u] += r * ((float) x[i][u] - mean[u]) / scale[u];
      }
      g[UNITS] += r;
    }
    for (int u = 0; u < UNITS; u++) {
      g[u] += l2 * w[u];
    }
    return g;
  }

  @Test
  void lbfgsReachesAZeroGradient() {
    for (double l2 : new double[] {1e-3, 1e-1}) {
      int open = backend.openScopes();
      ProbeFit fit = fit(ProbeOptions.converged().withL2(l2));
      assertEquals(open, backend.openScopes());
      assertTrue(fit.converged(), "converged in " + fit.iterations() + " iterations, gradient " + fit.gradientNorm());
      double worst = Arrays.stream(javaGradient(fit, l2)).map(Math::abs).max().getAsDouble();
      assertTrue(worst < 1e-7, "largest gradient component " + worst);
      assertEquals(0, fit.weights()[17], 1e-9, "a constant unit gets no weight");
      assertArrayEquals(fit.weights(), fit(ProbeOptions.converged().withL2(l2).withSeed(5)).weights(),
          "L-BFGS does not depend on the seed");
      assertArrayEquals(new int[] {4}, fit.selectPositive(3));
      System.out.printf("L-BFGS l2=%g: %d iterations, gradient %.1e (Java %.1e), w4=%.3f w9=%.3f z4=%.2f%n", l2,
          fit.iterations(), fit.gradientNorm(), worst, fit.weights()[4], fit.weights()[9], fit.weightZScores()[4]);
    }
  }

  @Test
  void adamIsDeterministicForASeed() {
    ProbeOptions options = ProbeOptions.neuroStrike().withMaxIterations(300);
    ProbeFit first = fit(options);
    ProbeFit again = fit(options);
    assertArrayEquals(first.weights(), again.weights());
    assertEquals(first.bias(), again.bias());
    ProbeFit other = fit(options.withSeed(1235));
    assertFalse(Arrays.equals(first.weights(), other.weights()), "another seed starts elsewhere");
    assertFalse(first.converged());
    assertTrue(first.weights()[4] > 0 && first.weights()[9] < 0, Arrays.toString(first.weights()));
  }

  @Test
  void badInputIsOneClearError() {
    try (NDManager scope = backend.newScope("cpu")) {
      assertEquals("There are 3 rows but 2 labels: give one label per row, in the same order.",
          assertThrows(NeuriteException.class, () -> LogisticProbe.fit(scope.ones(new Shape(3, 2)),
              new boolean[] {true, false}, ProbeOptions.converged())).getMessage());
      assertEquals("All 2 labels are negative: a unit can only be scored as a classifier against both classes. Add"
          + " examples of the other class (e.g. prompts of other relations as negatives).",
          assertThrows(NeuriteException.class, () -> LogisticProbe.fit(scope.ones(new Shape(2, 2)),
              new boolean[] {false, false}, ProbeOptions.converged())).getMessage());
      assertEquals("Probe features contain NaN or infinite values: drop or fill those examples first.",
          assertThrows(NeuriteException.class, () -> LogisticProbe.fit(scope.create(new float[] {1, Float.NaN},
              new Shape(2, 1)), new boolean[] {true, false}, ProbeOptions.converged())).getMessage());
    }
    assertEquals("The probe's l2 weight is -1.0: give a finite value >= 0, e.g. 1e-3.",
        assertThrows(NeuriteException.class, () -> ProbeOptions.converged().withL2(-1)).getMessage());
    assertEquals(0, backend.openScopes());
  }
}
