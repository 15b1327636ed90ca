package org.neurite.training;

/**
 * The learning rate of each optimizer step as Hugging Face's {@code get_cosine_schedule_with_warmup}
 * (half a cosine) gives it under PyTorch's {@code LambdaLR}: step {@code k} (from 0) uses
 * {@code lr * k / warmup} during the warm-up, then {@code lr * 0.5 (1 + cos(pi progress))} with
 * {@code progress = (k - warmup) / (total - warmup)}. The first step of a warm-up therefore has rate 0.
 */
public final class CosineSchedule {
  private CosineSchedule() {}

  /** The rate of optimizer step {@code k}, counted from 0. */
  public static double lr(Hyperparameters h, int k) {
    if (k < h.warmupSteps()) {
      return h.lr() * ((double) k / (double) Math.max(1, h.warmupSteps()));
    }
    double progress = (double) (k - h.warmupSteps()) / (double) Math.max(1, h.totalSteps() - h.warmupSteps());
    return h.lr() * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
  }
}
