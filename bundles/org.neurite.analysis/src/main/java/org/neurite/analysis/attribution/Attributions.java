package org.neurite.analysis.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.capture.Pooling;
import org.neurite.analysis.capture.Positions;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;

/**
 * Attribution of a scalar target to the units of one hook point (METHODS.md P4), per example:
 * gradient x activation (CULNIG, with max pooling and the p(y) weight), integrated gradients over
 * the scaled hook point (knowledge neurons), and attribution patching
 * {@code grad(corrupt) . (clean - corrupt)}. All are computed with activation gradients only
 * (no weight gradients), batched, with padding masked.
 */
public final class Attributions {
  private final TensorBackend backend;
  private final String device;

  public Attributions(TensorBackend backend, String device) {
    this.backend = backend;
    this.device = device;
  }

  /** The result of one batch: per example, per unit; and the target's value per example. */
  public record Result(double[][] scores, double[] target) {}

  /**
   * Gradient x activation at {@code hook}, pooled over the chosen positions. A hook point with
   * trailing dimensions ({@code attn.hook_q} [batch, pos, heads, d_head]) has them flattened into
   * units ({@link Pooling#pool}).
   *
   * @param weightByProbability CULNIG's score: the gradient of p(y) = exp(target), not of the
   *     log-probability, and each example's pooled scores multiplied by p(y), so an example scores
   *     {@code p · pool_t(a · ∂p/∂a) = p² · pool_t(a · ∂log p/∂a)} (the authors backpropagate the
   *     softmax probability and multiply by it; the target must be a log-probability)
   */
  public Result gradientTimesActivation(LanguageModel model, Batches.Batch batch, String hook, Target target,
      Positions positions, Pooling pooling, boolean weightByProbability) {
    return gradientTimesActivation(model, batch, List.of(hook), target, positions, pooling, weightByProbability)
        .get(hook);
  }

  /**
   * Gradient x activation at several hook points from one forward and one backward pass (CULNIG
   * scores five sites per layer: one pass, not one per site), each as {@link
   * #gradientTimesActivation(LanguageModel, Batches.Batch, String, Target, Positions, Pooling, boolean)}
   * gives it.
   *
   * @return by hook point, in the order given
   */
  public Map<String, Result> gradientTimesActivation(LanguageModel model, Batches.Batch batch, List<String> hooks,
      Target target, Positions positions, Pooling pooling, boolean weightByProbability) {
    try (NDManager scope = backend.newScope(device)) {
      Hooks wanted = Hooks.none();
      for (String hook : hooks) {
        wanted = wanted.record(hook).gradient(hook);
      }
      Forward f = model.forward(batch.tokens(), wanted.target(forward ->
          (weightByProbability ? target.apply(forward, batch).exp() : target.apply(forward, batch)).sum()), scope);
      double[] values = perSequence(model, batch, target, scope);
      float[] mask = positions.mask(batch);
      Map<String, Result> out = new LinkedHashMap<>();
      for (String hook : hooks) {
        try (NDManager work = scope.newSubManager()) {
          NDArray product = f.recorded(hook).mul(f.gradient(hook));
          double[][] scores = rows(pooling.pool(product, mask, work), batch.tokens().size());
          if (weightByProbability) {
            for (int i = 0; i < scores.length; i++) {
              double p = Math.exp(values[i]);
              for (int u = 0; u < scores[i].length; u++) {
                scores[i][u] *= p;
              }
            }
          }
          out.put(hook, new Result(scores, values));
        }
      }
      return out;
    }
  }

  /**
   * Integrated gradients of the units of {@code hook} at the chosen positions: the value there is
   * moved from {@code baseline} (zero when null) to its actual value in {@code steps} steps, and
   * {@code (x - baseline) * mean of the gradients at the midpoints} is summed over the chosen
   * positions. Completeness: the scores of an example add up to target(x) - target(baseline), up
   * to the Riemann sum's error.
   *
   * @param baseline one value per unit, or null for zero
   */
  public Result integratedGradients(LanguageModel model, Batches.Batch batch, String hook, Target target,
      Positions positions, int steps, float[] baseline) {
    return integratedGradients(model, batch, hook, target, positions, steps, baseline, Riemann.MIDPOINT);
  }

  /** Where each of the n steps of integrated gradients takes its gradient along the path. */
  public enum Riemann {
    /** At (k + 0.5)/n: the midpoint rule (Captum's "riemann_middle"); error O(1/n²). */
    MIDPOINT,
    /**
     * At k/n for k = 0..n-1: the left sum, which knowledge neurons' code uses ({@code scaled_input}:
     * the baseline and n - 1 points towards the value, never the value itself); error O(1/n).
     */
    LEFT
  }

  /** {@link #integratedGradients(LanguageModel, Batches.Batch, String, Target, Positions, int, float[])} with a chosen rule. */
  public Result integratedGradients(LanguageModel model, Batches.Batch batch, String hook, Target target,
      Positions positions, int steps, float[] baseline, Riemann rule) {
    if (steps < 1) {
      throw new NeuriteException("Integrated gradients need at least 1 step; " + steps + " were asked for.");
    }
    int b = batch.tokens().size();
    float[] mask = positions.mask(batch);
    try (NDManager scope = backend.newScope(device)) {
      NDArray actual = model.forward(batch.tokens(), Hooks.none().record(hook), scope).recorded(hook);
      NDArray start = baseline == null ? actual.zerosLike()
          : actual.zerosLike().add(scope.create(baseline).toType(actual.getDataType(), false));
      NDArray chosen = scope.create(mask, positionShape(b, batch.tokens().length(), actual))
          .toType(actual.getDataType(), false);
      NDArray sum = actual.zerosLike();
      NDArray unchosen = chosen.neg().add(1);
      for (int k = 0; k < steps; k++) {
        double alpha = rule == Riemann.LEFT ? (double) k / steps : (k + 0.5) / steps;
        try (NDManager step = scope.newSubManager()) {
          NDArray moved = start.add(actual.sub(start).mul(alpha)).mul(chosen);
          moved.attach(step);
          Forward f = model.forward(batch.tokens(), Hooks.none().replace(hook,
              (name, value, tokens) -> moved.add(value.mul(unchosen)))
              .gradient(hook).target(forward -> target.apply(forward, batch).sum()), step);
          NDArray gradient = f.gradient(hook);
          sum.addi(gradient);
        }
      }
      NDArray attribution = actual.sub(start).mul(sum.div(steps)).mul(chosen).sum(new int[] {1});
      double[][] scores = rows(attribution, b);
      return new Result(scores, perSequence(model, batch, target, scope));
    }
  }

  /**
   * Attribution patching: {@code grad(corrupt) . (clean - corrupt)} at the chosen positions, summed;
   * a first-order estimate of how much patching each unit from the clean into the corrupted input
   * moves the target. The two batches must have the same shape (pad them to one length).
   */
  public Result attributionPatching(LanguageModel model, Batches.Batch clean, Batches.Batch corrupt, String hook,
      Target target, Positions positions) {
    if (clean.tokens().size() != corrupt.tokens().size() || clean.tokens().length() != corrupt.tokens().length()) {
      throw new NeuriteException("Attribution patching needs clean and corrupted batches of the same shape; got "
          + clean.tokens().size() + "x" + clean.tokens().length() + " and " + corrupt.tokens().size() + "x"
          + corrupt.tokens().length() + ". Pair prompts of the same token length.");
    }
    try (NDManager scope = backend.newScope(device)) {
      NDArray cleanValues = model.forward(clean.tokens(), Hooks.none().record(hook), scope).recorded(hook);
      Forward f = model.forward(corrupt.tokens(), Hooks.none().record(hook).gradient(hook)
          .target(forward -> target.apply(forward, corrupt).sum()), scope);
      NDArray delta = cleanValues.sub(f.recorded(hook)).mul(f.gradient(hook));
      NDArray chosen = scope.create(positions.mask(corrupt),
          positionShape(corrupt.tokens().size(), corrupt.tokens().length(), delta))
          .toType(delta.getDataType(), false);
      return new Result(rows(delta.mul(chosen).sum(new int[] {1}), corrupt.tokens().size()),
          perSequence(model, corrupt, target, scope));
    }
  }

  /** [batch, pos, 1, ...]: a per-position mask broadcast over the units of a value of any rank (q/k/v: 4). */
  private static ai.djl.ndarray.types.Shape positionShape(long batch, long positions, NDArray value) {
    long[] dims = new long[value.getShape().dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = batch;
    dims[1] = positions;
    return new ai.djl.ndarray.types.Shape(dims);
  }

  /** The target's value per sequence, without gradients. */
  public double[] perSequence(LanguageModel model, Batches.Batch batch, Target target, NDManager scope) {
    try (NDManager work = scope.newSubManager()) {
      return Target.values(target.apply(model.forward(batch.tokens(), Hooks.none(), work), batch));
    }
  }

  /** A [batch, units] array as one row of doubles per example. */
  public static double[][] rows(NDArray pooled, int batch) {
    double[] flat = pooled.toType(DataType.FLOAT64, false).toDoubleArray();
    int units = flat.length / batch;
    double[][] out = new double[batch][units];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(flat, i * units, out[i], 0, units);
    }
    return out;
  }
}
