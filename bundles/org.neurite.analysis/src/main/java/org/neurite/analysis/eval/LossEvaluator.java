package org.neurite.analysis.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BooleanSupplier;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;

/**
 * Next-token loss and perplexity per group (METHODS.md P10) of a causal language model, over every
 * predicted token or over the response tokens only. The same evaluator runs on a base, an
 * intervened or a control model.
 */
public final class LossEvaluator {
  private final TensorBackend backend;
  private final String device;
  private final boolean responseOnly;

  /** @param responseOnly count only tokens of the response (of a prompt and response) */
  public LossEvaluator(TensorBackend backend, String device, boolean responseOnly) {
    this.backend = backend;
    this.device = device;
    this.responseOnly = responseOnly;
  }

  /** Evaluates every batch; stops early (returning what it has) when {@code cancelled} says so. */
  public GroupLoss evaluate(LanguageModel model, Iterable<Batches.Batch> batches, BooleanSupplier cancelled) {
    if (!model.spec().causal() || !model.spec().hasLogits()) {
      throw new NeuriteException("Model " + model.name() + " is not a causal language model with a head ("
          + model.spec().family() + "); next-token loss needs one. Use an embedding-shift evaluation for encoders.");
    }
    GroupLoss loss = new GroupLoss();
    for (Batches.Batch batch : batches) {
      if (cancelled.getAsBoolean()) {
        break;
      }
      add(model, batch, loss);
    }
    return loss;
  }

  /** Adds one batch's loss. */
  public void add(LanguageModel model, Batches.Batch batch, GroupLoss loss) {
    Sequences sequences = perSequence(model, batch);
    for (int i = 0; i < sequences.nll().length; i++) {
      if (sequences.tokens()[i] > 0) {
        loss.add(batch.examples().get(i).group(), sequences.nll()[i], sequences.tokens()[i]);
      }
    }
  }

  /**
   * Each sequence's summed negative log-likelihood and the number of tokens it counts.
   *
   * @param nll per sequence, nats
   * @param tokens per sequence, the predicted tokens counted
   */
  public record Sequences(double[] nll, long[] tokens) {}

  /** The loss of each sequence of a batch, over the tokens this evaluator counts. */
  public Sequences perSequence(LanguageModel model, Batches.Batch batch) {
    TokenBatch tokens = batch.tokens();
    int b = tokens.size();
    int t = tokens.length();
    long[] next = new long[b * t];
    float[] counted = new float[b * t];
    long[] count = new long[b];
    for (int i = 0; i < b; i++) {
      TokenizedExample example = batch.examples().get(i);
      long[] ids = tokens.ids(i);
      int first = tokens.firstReal(i);
      int from = responseOnly ? Math.max(1, example.responseStart()) : 1;
      for (int target = from; target < ids.length; target++) {
        int position = first + target - 1;
        next[i * t + position] = ids[target];
        counted[i * t + position] = 1f;
        count[i]++;
      }
    }
    try (NDManager scope = backend.newScope(device)) {
      Forward forward = model.forward(tokens, Hooks.none(), scope);
      NDArray logp = forward.logits().toType(DataType.FLOAT64, false).logSoftmax(-1);
      NDArray picked = logp.gather(scope.create(next, new Shape(b, t, 1)), 2).reshape(b, t);
      NDArray mask = scope.create(counted, new Shape(b, t)).toType(DataType.FLOAT64, false);
      return new Sequences(picked.mul(mask).neg().sum(new int[] {1}).toDoubleArray(), count);
    }
  }
}
