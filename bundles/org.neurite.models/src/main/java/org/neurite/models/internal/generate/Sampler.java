package org.neurite.models.internal.generate;

import java.util.Arrays;
import java.util.Random;
import org.neurite.api.generate.GenerationOptions;

/**
 * Chooses the next token from one row of logits: the argmax (the first, on ties) when greedy, else a
 * draw from the softmax of logits / temperature over the top-k tokens, then over the smallest set
 * of most likely ones whose probability reaches top-p, as Hugging Face's warpers filter them.
 */
final class Sampler {
  private final GenerationOptions options;

  Sampler(GenerationOptions options) {
    this.options = options;
  }

  /** The chosen token id; {@code logits} is read from {@code offset} for {@code vocab} entries. */
  long choose(float[] logits, int offset, int vocab, Random random) {
    if (options.isGreedy()) {
      return argmax(logits, offset, vocab);
    }
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
    }
    // Most likely first; equal logits keep the lower id first, so the order is deterministic.
    Arrays.sort(order, (a, b) -> {
      int byLogit = Float.compare(logits[offset + b], logits[offset + a]);
      return byLogit != 0 ? byLogit : Integer.compare(a, b);
    });
    int kept = options.topK() > 0 ? Math.min(options.topK(), vocab) : vocab;
    double max = logits[offset + order[0]] / options.temperature();
    double[] weights = new double[kept];
    double total = 0;
    for (int i = 0; i < kept; i++) {
      weights[i] = Math.exp(logits[offset + order[i]] / options.temperature() - max);
      total += weights[i];
    }
    if (options.topP() < 1) {
      double cumulative = 0;
      int within = 0;
      while (within < kept) {
        cumulative += weights[within] / total;
        within++;
        if (cumulative >= options.topP()) {
          break;
        }
      }
      kept = within;
      total = 0;
      for (int i = 0; i < kept; i++) {
        total += weights[i];
      }
    }
    double draw = random.nextDouble() * total;
    for (int i = 0; i < kept; i++) {
      draw -= weights[i];
      if (draw < 0) {
        return order[i];
      }
    }
    return order[kept - 1];
  }

  static long argmax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int i = 1; i < vocab; i++) {
      if (logits[offset + i] > logits[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
