package org.neurite.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.NeuriteException;

/**
 * PyTorch's {@code AdamW} (its single-tensor path, as on the CPU), one parameter at a time: decoupled
 * weight decay {@code p *= 1 - lr wd} on 2-D parameters only, {@code m = lerp(m, g, 1 - beta1)},
 * {@code v = v beta2 + (1 - beta2) g g}, then {@code p += -(lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}.
 * The moments live in the manager given at construction; every temporary of an update is freed at once.
 */
public final class AdamW {
  private final Hyperparameters h;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private int step;

  private AdamW(Hyperparameters h, int step) {
    this.h = h;
    this.step = step;
  }

  /** Fresh state: zero moments like each parameter, in {@code manager}; step 0. */
  public static AdamW fresh(Hyperparameters h, Map<String, NDArray> parameters, NDManager manager) {
    AdamW adam = new AdamW(h, 0);
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      adam.firstMoments.put(p.getKey(), manager.zeros(p.getValue().getShape(), p.getValue().getDataType()));
      adam.secondMoments.put(p.getKey(), manager.zeros(p.getValue().getShape(), p.getValue().getDataType()));
    }
    return adam;
  }

  /**
   * A saved state: the moments (which the optimizer now owns and updates in place) after {@code steps} steps.
   *
   * @throws NeuriteException if the moments do not match the parameters in name, shape or type
   */
  public static AdamW restored(Hyperparameters h, int steps, Map<String, NDArray> parameters,
      Map<String, NDArray> first, Map<String, NDArray> second) {
    AdamW adam = new AdamW(h, steps);
    check(parameters, first, "exp_avg");
    check(parameters, second, "exp_avg_sq");
    for (String name : parameters.keySet()) {
      adam.firstMoments.put(name, first.get(name));
      adam.secondMoments.put(name, second.get(name));
    }
    return adam;
  }

  /** The optimizer steps taken. */
  public int step() {
    return step;
  }

  /** {@code exp_avg} of each parameter, by name (live arrays: copy what must outlive the optimizer). */
  public Map<String, NDArray> firstMoments() {
    return firstMoments;
  }

  /** {@code exp_avg_sq} of each parameter, by name. */
  public Map<String, NDArray> secondMoments() {
    return secondMoments;
  }

  private static void check(Map<String, NDArray> parameters, Map<String, NDArray> saved, String what) {
    if (!parameters.keySet().equals(saved.keySet())) {
      throw new NeuriteException("The saved optimizer state has " + what + " for " + saved.keySet()
          + ", but the model's parameters are " + parameters.keySet() + ".");
    }
    parameters.forEach((name, array) -> {
      NDArray moment = saved.get(name);
      if (!moment.getShape().equals(array.getShape()) || moment.getDataType() != array.getDataType()) {
        throw new NeuriteException("The saved " + what + " of " + name + " is " + moment.getShape() + " "
            + moment.getDataType() + "; the parameter is " + array.getShape() + " " + array.getDataType() + ".");
      }
    });
  }

  /**
   * One update of every parameter from its gradient, at rate {@code lr}. Call with gradient
   * recording off; parameters and moments change in place.
   */
  public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double lr) {
    step++;
    double bias1 = 1 - Math.pow(h.beta1(), step);
    double bias2 = 1 - Math.pow(h.beta2(), step);
    double stepSize = lr / bias1;
    double bias2Root = Math.sqrt(bias2);
    for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
      NDArray p = entry.getValue();
      NDArray g = gradients.get(entry.getKey());
      NDArray m = firstMoments.get(entry.getKey());
      NDArray v = secondMoments.get(entry.getKey());
      if (h.weightDecay() != 0 && p.getShape().dimension() == 2) {
        p.muli(1 - lr * h.weightDecay());
      }
      // lerp(m, g, w) for w < 0.5: m + w (g - m)
      try (NDArray difference = g.sub(m)) {
        difference.muli(1 - h.beta1());
        m.addi(difference);
      }
      // addcmul: v + value * g * g, in that order
      v.muli(h.beta2());
      try (NDArray scaled = g.mul(1 - h.beta2())) {
        scaled.muli(g);
        v.addi(scaled);
      }
      // addcdiv: p + value * (m / denom)
      try (NDArray root = v.sqrt(); NDArray denominator = root.div(bias2Root)) {
        denominator.addi(h.eps());
        try (NDArray ratio = m.div(denominator)) {
          ratio.muli(-stepSize);
          p.addi(ratio);
        }
      }
    }
  }
}
