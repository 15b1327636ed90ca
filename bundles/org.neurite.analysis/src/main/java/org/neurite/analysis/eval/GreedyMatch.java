package org.neurite.analysis.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * Whether greedy decoding from each prompt gives its response, or the response's first
 * {@code prefixTokens} tokens (relation neurons count a fact as known when the first two generated
 * tokens match the object). Computed in one teacher-forced forward pass: greedy decoding
 * reproduces the response exactly when, at every response position, the most likely next token is
 * the response's token there (the first most likely, as greedy decoding breaks ties), since until
 * the first mismatch the decoded prefix is the response's. An intervened model is measured the same
 * way: its interventions act at the positions they name, as during decoding.
 */
public final class GreedyMatch {
  private final TensorBackend backend;
  private final String device;
  private final int prefixTokens;

  /** @param prefixTokens how many leading response tokens must match; 0 for the whole response */
  public GreedyMatch(TensorBackend backend, String device, int prefixTokens) {
    if (prefixTokens < 0) {
      throw new IllegalArgumentException("prefixTokens " + prefixTokens + " < 0");
    }
    this.backend = backend;
    this.device = device;
    this.prefixTokens = prefixTokens;
  }

  /**
   * Per sequence of the batch, whether its greedy continuation matches.
   *
   * @throws NeuriteException if the model has no next-token head, or an example has no prompt and
   *     response (there is nothing to match)
   */
  public boolean[] matches(LanguageModel model, Batches.Batch batch) {
    if (!model.spec().causal() || !model.spec().hasLogits()) {
      throw new NeuriteException("Model " + model.name() + " is not a causal language model with a head ("
          + model.spec().family() + "); greedy matching needs next-token predictions.");
    }
    TokenBatch tokens = batch.tokens();
    int b = tokens.size();
    int t = tokens.length();
    try (NDManager scope = backend.newScope(device)) {
      Forward forward = model.forward(tokens, Hooks.none(), scope);
      NDArray argmax = forward.logits().argMax(-1);
      long[] predicted = argmax.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
      boolean[] out = new boolean[b];
      for (int i = 0; i < b; i++) {
        TokenizedExample example = batch.examples().get(i);
        long[] ids = tokens.ids(i);
        int start = example.responseStart();
        if (start <= 0 || start >= ids.length) {
          throw new NeuriteException("Example " + example.example().id() + " has no prompt and response to match"
              + " (its response starts at token " + start + " of " + ids.length + "); give the dataset prompt and"
              + " response fields.");
        }
        int end = prefixTokens == 0 ? ids.length : Math.min(ids.length, start + prefixTokens);
        boolean match = true;
        int first = tokens.firstReal(i);
        for (int target = start; target < end && match; target++) {
          match = predicted[i * t + first + target - 1] == ids[target];
        }
        out[i] = match;
      }
      return out;
    }
  }

  /** Adds each sequence's outcome to its group. */
  public void add(LanguageModel model, Batches.Batch batch, GroupAverage rate) {
    boolean[] m = matches(model, batch);
    for (int i = 0; i < m.length; i++) {
      rate.add(batch.examples().get(i).group(), m[i]);
    }
  }
}
