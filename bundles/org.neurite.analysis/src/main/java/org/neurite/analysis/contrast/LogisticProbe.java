package org.neurite.analysis.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;
import java.util.SplittableRandom;
import org.neurite.api.NeuriteException;

/**
 * A full-batch logistic-regression probe on per-example pooled values (NeuroStrike, A4: one probe
 * per module on max-pooled activations, the units with {@code |z(w)| > 3} and {@code w > 0} are
 * the safety neurons; see {@link ProbeFit#selectPositive}).
 *
 * <p>It minimises {@code L(w, b) = (1/n) Σ_i [log(1 + e^{z_i}) − y_i z_i] + (λ/2)·||w||²},
 * {@code z = x̃ w + b}, with gradient {@code ∇_w = x̃ᵀ(σ(z) − y)/n + λ w},
 * {@code ∇_b = mean(σ(z) − y)}. Products with the {@code [n, U]} features run on the tensor
 * backend in float64; the optimiser's vectors are Java arrays. The result is deterministic: L-BFGS
 * does not depend on the seed, Adam depends on it only through its initial weights.
 */
public final class LogisticProbe {
  private static final int MEMORY = 10;

  private LogisticProbe() {}

  /**
   * Fits a probe.
   *
   * @param features {@code [n, U]} pooled values, any floating-point type; left as they are
   * @param labels {@code [n]}, true for the positive class (harmful prompts)
   * @throws NeuriteException if the shapes disagree, a class is missing, or a value is not finite
   */
  public static ProbeFit fit(NDArray features, boolean[] labels, ProbeOptions options) {
    return fit(features, labels, options, null);
  }

  /**
   * Fits a probe from given initial parameters: Adam starts from them instead of its seeded draw
   * (to start where another implementation's random initialisation started, e.g. PyTorch's
   * {@code nn.Linear} in a reference test); L-BFGS starts from them instead of zero.
   *
   * @param initial {@code [U + 1]}: the weights, then the bias; null for the solver's own start
   */
  public static ProbeFit fit(NDArray features, boolean[] labels, ProbeOptions options, double[] initial) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(options, "options");
    Shape shape = features.getShape();
    if (shape.dimension() != 2) {
      throw new NeuriteException("Probe features must have shape [n, U] (one row per example); got " + shape + ".");
    }
    if (!features.getDataType().isFloating()) {
      throw new NeuriteException("Probe features must be floating point; got " + features.getDataType() + ".");
    }
    int n = Math.toIntExact(shape.get(0));
    int units = Math.toIntExact(shape.get(1));
    UnitRanking.checkLabels(labels, n);
    if (initial != null && initial.length != units + 1) {
      throw new NeuriteException("The probe's initial parameters must be " + (units + 1) + " values (" + units
          + " weights, then the bias); got " + initial.length + ".");
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = labels[i] ? 1 : 0;
    }
    try (NDManager scope = features.getManager().newSubManager()) {
      scope.tempAttachAll(features);
      NDArray x = features.toType(DataType.FLOAT64, false);
      if (x.isNaN().any().getBoolean() || x.isInfinite().any().getBoolean()) {
        throw new NeuriteException("Probe features contain NaN or infinite values: drop or fill those examples"
            + " first.");
      }
      double[] mean = new double[units];
      double[] scale = new double[units];
      java.util.Arrays.fill(scale, 1);
      if (options.standardize()) {
        NDArray mu = x.mean(new int[] {0}, true);
        NDArray centred = x.sub(mu);
        NDArray sd = centred.mul(centred).mean(new int[] {0}, true).sqrt();
        mean = mu.toDoubleArray();
        scale = sd.toDoubleArray();
        for (int u = 0; u < units; u++) {
          scale[u] = scale[u] == 0 ? 1 : scale[u];
        }
        x = centred.div(scope.create(scale, new Shape(1, units)));
      }
      Objective objective = new Objective(x, scope.create(y, new Shape(n, 1)), n, units, options.l2(),
          options.solver() == ProbeSolver.ADAM);
      return options.solver() == ProbeSolver.LBFGS ? lbfgs(objective, options, mean, scale, initial)
          : adam(objective, options, mean, scale, initial);
    }
  }

  /** The objective and its gradient at {@code θ = (w, b)}, {@code [U + 1]}, computed on the backend. */
  private record Objective(NDArray x, NDArray y, int n, int units, double l2, boolean penaliseBias) {
    double evaluate(double[] theta, double[] gradient) {
      try (NDManager step = x.getManager().newSubManager()) {
        step.tempAttachAll(x, y);
        NDArray w = step.create(java.util.Arrays.copyOf(theta, units), new Shape(units, 1));
        NDArray z = x.matMul(w).add(theta[units]);
        NDArray softplus = z.maximum(0).add(z.abs().neg().exp().add(1).log());
        double loss = softplus.sub(y.mul(z)).mean().getDouble();
        NDArray residual = z.neg().exp().add(1).pow(-1).sub(y).div(n);
        double[] gw = residual.transpose().matMul(x).toDoubleArray();
        double gb = residual.sum().getDouble();
        double penalty = 0;
        for (int u = 0; u < units; u++) {
          penalty += theta[u] * theta[u];
          gradient[u] = gw[u] + l2 * theta[u];
        }
        gradient[units] = gb + (penaliseBias ? l2 * theta[units] : 0);
        if (penaliseBias) {
          penalty += theta[units] * theta[units];
        }
        return loss + 0.5 * l2 * penalty;
      }
    }
  }

  private static ProbeFit lbfgs(Objective objective, ProbeOptions options, double[] mean, double[] scale,
      double[] initial) {
    int size = objective.units() + 1;
    double[] theta = initial == null ? new double[size] : initial.clone();
    double[] gradient = new double[size];
    double loss = objective.evaluate(theta, gradient);
    Deque<double[][]> memory = new ArrayDeque<>();
    int iteration = 0;
    boolean converged = maxAbs(gradient) <= options.tolerance();
    while (!converged && iteration < options.maxIterations()) {
      iteration++;
      double[] direction = twoLoop(gradient, memory);
      double slope = dot(gradient, direction);
      if (!(slope < 0)) {
        memory.clear();
        direction = negate(gradient);
        slope = dot(gradient, direction);
      }
      double step = memory.isEmpty() ? Math.min(1, 1 / maxAbs(gradient)) : 1;
      double[] candidate = new double[size];
      double[] candidateGradient = new double[size];
      double candidateLoss = Double.NaN;
      boolean accepted = false;
      for (int halvings = 0; halvings < 60 && !accepted; halvings++) {
        for (int i = 0; i < size; i++) {
          candidate[i] = theta[i] + step * direction[i];
        }
        candidateLoss = objective.evaluate(candidate, candidateGradient);
        // Armijo's sufficient decrease, with room for rounding once the loss stops moving
        accepted = candidateLoss <= loss + 1e-4 * step * slope + 1e-15 * Math.abs(loss);
        if (!accepted) {
          step /= 2;
        }
      }
      if (!accepted) {
        break;
      }
      double[] s = new double[size];
      double[] yk = new double[size];
      for (int i = 0; i < size; i++) {
        s[i] = candidate[i] - theta[i];
        yk[i] = candidateGradient[i] - gradient[i];
      }
      if (dot(s, yk) > 1e-16 * dot(yk, yk)) {
        memory.addLast(new double[][] {s, yk});
        if (memory.size() > MEMORY) {
          memory.removeFirst();
        }
      }
      theta = candidate;
      gradient = candidateGradient;
      loss = candidateLoss;
      converged = maxAbs(gradient) <= options.tolerance();
    }
    return result(theta, loss, gradient, iteration, converged, mean, scale);
  }

  /** {@code −H g} by the two-loop recursion over the stored pairs, oldest first in {@code memory}. */
  private static double[] twoLoop(double[] gradient, Deque<double[][]> memory) {
    double[] q = gradient.clone();
    double[] alpha = new double[memory.size()];
    int k = memory.size() - 1;
    for (Iterator<double[][]> it = memory.descendingIterator(); it.hasNext(); k--) {
      double[][] pair = it.next();
      alpha[k] = dot(pair[0], q) / dot(pair[1], pair[0]);
      axpy(-alpha[k], pair[1], q);
    }
    if (!memory.isEmpty()) {
      double[][] last = memory.getLast();
      double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
      for (int i = 0; i < q.length; i++) {
        q[i] *= gamma;
      }
    }
    k = 0;
    for (double[][] pair : memory) {
      double beta = dot(pair[1], q) / dot(pair[1], pair[0]);
      axpy(alpha[k] - beta, pair[0], q);
      k++;
    }
    return negate(q);
  }

  private static ProbeFit adam(Objective objective, ProbeOptions options, double[] mean, double[] scale,
      double[] initial) {
    int units = objective.units();
    double[] theta = new double[units + 1];
    if (initial != null) {
      theta = initial.clone();
    } else {
      SplittableRandom random = new SplittableRandom(options.seed());
      double bound = 1 / Math.sqrt(units);
      for (int i = 0; i <= units; i++) {
        theta[i] = (2 * random.nextDouble() - 1) * bound;
      }
    }
    double[] gradient = new double[units + 1];
    double[] m = new double[units + 1];
    double[] v = new double[units + 1];
    double beta1 = 0.9;
    double beta2 = 0.999;
    double lr = options.learningRate();
    for (int t = 1; t <= options.maxIterations(); t++) {
      objective.evaluate(theta, gradient);
      double c1 = 1 - Math.pow(beta1, t);
      double c2 = 1 - Math.pow(beta2, t);
      for (int i = 0; i <= units; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
        v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
        theta[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
      }
    }
    double loss = objective.evaluate(theta, gradient);
    return result(theta, loss, gradient, options.maxIterations(), false, mean, scale);
  }

  private static ProbeFit result(double[] theta, double loss, double[] gradient, int iterations, boolean converged,
      double[] mean, double[] scale) {
    int units = theta.length - 1;
    return new ProbeFit(java.util.Arrays.copyOf(theta, units), theta[units], mean, scale, loss, maxAbs(gradient),
        iterations, converged);
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double[] negate(double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = -a[i];
    }
    return r;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
