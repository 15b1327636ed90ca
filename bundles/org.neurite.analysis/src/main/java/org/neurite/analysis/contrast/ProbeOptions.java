package org.neurite.analysis.contrast;

import java.util.Objects;
import org.neurite.api.NeuriteException;

/**
 * How to fit a {@link LogisticProbe}.
 *
 * @param l2 the weight λ of the penalty {@code (λ/2)·||w||²} added to the mean cross-entropy; > 0
 *     keeps the optimum finite when the classes are separable (more units than examples)
 * @param standardize fit on features scaled to mean 0 and population standard deviation 1 per
 *     unit (a constant unit keeps scale 1), as scikit-learn's {@code StandardScaler}
 * @param solver the optimiser
 * @param maxIterations L-BFGS iterations at most, or Adam's epochs
 * @param tolerance L-BFGS stops when the largest gradient component is below this
 * @param learningRate Adam's step size (unused by L-BFGS)
 * @param seed Adam's initial weights (unused by L-BFGS)
 */
public record ProbeOptions(double l2, boolean standardize, ProbeSolver solver, int maxIterations, double tolerance,
    double learningRate, long seed) {
  public ProbeOptions {
    Objects.requireNonNull(solver, "solver");
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new NeuriteException("The probe's l2 weight is " + l2 + ": give a finite value >= 0, e.g. 1e-3.");
    }
    if (maxIterations <= 0) {
      throw new NeuriteException("The probe's maxIterations is " + maxIterations + ": give a positive number.");
    }
    if (!(tolerance > 0) || !(learningRate > 0)) {
      throw new NeuriteException("The probe's tolerance (" + tolerance + ") and learning rate (" + learningRate
          + ") must be > 0.");
    }
  }

  /** L-BFGS to a gradient of 1e-8 (at most 1000 iterations), λ = 1e-3, standardised features. */
  public static ProbeOptions converged() {
    return new ProbeOptions(1e-3, true, ProbeSolver.LBFGS, 1000, 1e-8, 1e-3, 0);
  }

  /**
   * NeuroStrike's settings ({@code white_box/probe.py}): Adam, learning rate 1e-3, weight decay 1e-3,
   * 5000 full-batch epochs, seed 1234, on the pooled values as they are (the authors do not scale the
   * features).
   */
  public static ProbeOptions neuroStrike() {
    return new ProbeOptions(1e-3, false, ProbeSolver.ADAM, 5000, 1e-8, 1e-3, 1234);
  }

  /** The same with another L2 weight. */
  public ProbeOptions withL2(double weight) {
    return new ProbeOptions(weight, standardize, solver, maxIterations, tolerance, learningRate, seed);
  }

  /** The same with or without standardised features. */
  public ProbeOptions withStandardize(boolean scale) {
    return new ProbeOptions(l2, scale, solver, maxIterations, tolerance, learningRate, seed);
  }

  /** The same with another seed. */
  public ProbeOptions withSeed(long newSeed) {
    return new ProbeOptions(l2, standardize, solver, maxIterations, tolerance, learningRate, newSeed);
  }

  /** The same with another iteration or epoch budget. */
  public ProbeOptions withMaxIterations(int iterations) {
    return new ProbeOptions(l2, standardize, solver, iterations, tolerance, learningRate, seed);
  }
}
