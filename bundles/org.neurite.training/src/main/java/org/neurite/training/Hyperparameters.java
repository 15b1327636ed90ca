package org.neurite.training;

import org.neurite.api.NeuriteException;

/**
 * What a training run optimises with, as PyTorch's {@code AdamW}, Hugging Face's
 * {@code get_cosine_schedule_with_warmup} and {@code clip_grad_norm_} take it.
 *
 * @param lr the peak learning rate
 * @param beta1 AdamW's first-moment decay
 * @param beta2 AdamW's second-moment decay
 * @param eps AdamW's epsilon, added to the root of the second moment
 * @param weightDecay decoupled weight decay, applied to 2-D parameters only (not norm gains or biases)
 * @param warmupSteps steps of linear warm-up from 0
 * @param totalSteps optimizer steps in all; the cosine reaches 0 at the last
 * @param maxGradNorm the total L2 norm gradients are clipped to; 0 for no clipping
 */
public record Hyperparameters(double lr, double beta1, double beta2, double eps, double weightDecay, int warmupSteps,
    int totalSteps, double maxGradNorm) {

  public Hyperparameters {
    check("lr", lr, lr > 0, "above 0");
    check("beta1", beta1, beta1 >= 0 && beta1 < 1, "at least 0 and below 1");
    check("beta2", beta2, beta2 >= 0 && beta2 < 1, "at least 0 and below 1");
    check("eps", eps, eps > 0, "above 0");
    check("weight_decay", weightDecay, weightDecay >= 0, "at least 0");
    check("warmup_steps", warmupSteps, warmupSteps >= 0 && warmupSteps <= totalSteps, "from 0 to steps (" + totalSteps + ")");
    check("steps", totalSteps, totalSteps >= 1, "at least 1");
    check("max_grad_norm", maxGradNorm, maxGradNorm >= 0, "at least 0 (0: no clipping)");
  }

  private static void check(String name, double value, boolean ok, String range) {
    if (!ok || Double.isNaN(value) || Double.isInfinite(value)) {
      throw new NeuriteException("Training parameter '" + name + "' is " + (value == Math.rint(value)
          && !Double.isInfinite(value) ? String.valueOf((long) value) : String.valueOf(value)) + "; it must be "
          + range + ".");
    }
  }
}
