package org.neurite.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.GradientTarget;
import org.neurite.api.model.Forward;

/**
 * The mean next-token cross-entropy of a right-padded batch: at every position {@code t} of a
 * sequence that has a token at {@code t + 1}, {@code -log softmax(logits[t])[ids[t + 1]]}, summed
 * over the batch and divided by the number of such targets (Hugging Face's causal-LM loss with the
 * padding labelled -100). Padding neither predicts nor is predicted.
 */
public final class NextTokenLoss {
  private NextTokenLoss() {}

  /** The number of next-token targets in {@code sequences}. */
  public static long targets(List<long[]> sequences) {
    long n = 0;
    for (long[] s : sequences) {
      n += Math.max(0, s.length - 1);
    }
    return n;
  }

  /**
   * The loss of {@code sequences} as a gradient target of a forward pass over them (right-padded).
   *
   * @throws NeuriteException if no sequence has two tokens
   */
  public static GradientTarget of(List<long[]> sequences) {
    long count = targets(sequences);
    if (count == 0) {
      throw new NeuriteException("A training batch has no next-token target: each of its " + sequences.size()
          + " sequences has fewer than 2 tokens. Drop such examples from the dataset.");
    }
    int length = 0;
    for (long[] s : sequences) {
      length = Math.max(length, s.length);
    }
    int batch = sequences.size();
    long[] next = new long[batch * length];
    double[] mask = new double[batch * length];
    for (int b = 0; b < batch; b++) {
      long[] s = sequences.get(b);
      for (int t = 0; t + 1 < s.length; t++) {
        next[b * length + t] = s[t + 1];
        mask[b * length + t] = 1;
      }
    }
    int padded = length;
    return forward -> loss(forward, next, mask, batch, padded, count);
  }

  private static NDArray loss(Forward forward, long[] next, double[] mask, int batch, int length, long count) {
    NDArray logits = forward.logits();
    NDManager m = logits.getManager();
    DataType type = logits.getDataType();
    // constants the backward pass reads are copied into PyTorch's own memory (see the models bundle's Scalars)
    NDArray index = owned(m.create(next, new Shape(batch, length, 1)));
    NDArray weights = owned(m.create(mask, new Shape(batch, length, 1)).toType(type, false));
    NDArray total = owned(m.create((double) count).toType(type, false));
    NDArray logProbs = logits.logSoftmax(-1);
    NDArray picked = logProbs.gather(index, 2);
    NDArray masked = picked.mul(weights);
    return masked.sum().neg().div(total);
  }

  private static NDArray owned(NDArray onJavaMemory) {
    NDArray copy = onJavaMemory.duplicate();
    onJavaMemory.close();
    return copy;
  }
}
