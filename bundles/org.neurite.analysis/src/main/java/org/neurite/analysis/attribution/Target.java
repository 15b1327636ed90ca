package org.neurite.analysis.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.neurite.analysis.batch.Batches;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.model.Forward;
import org.neurite.api.model.TextTokenizer;

/**
 * The scalar an attribution explains, one per sequence of a batch: computed from the finished
 * forward pass while gradients are recorded. Sequences of a batch do not interact, so the gradient
 * of the sum gives each sequence its own gradient.
 */
@FunctionalInterface
public interface Target {

  /** One value per sequence, [batch]. */
  NDArray apply(Forward forward, Batches.Batch batch);

  /**
   * The log-probability of a given next token at each sequence's last real position (the answer of
   * a prompt: knowledge neurons, CULNIG's p(y)).
   *
   * @param tokens the token per sequence
   */
  static Target nextTokenLogProb(long[] tokens) {
    return (forward, batch) -> {
      NDManager scope = forward.logits().getManager();
      int b = batch.tokens().size();
      int t = batch.tokens().length();
      float[] last = new float[b * t];
      for (int i = 0; i < b; i++) {
        last[i * t + batch.tokens().firstReal(i) + batch.tokens().length(i) - 1] = 1f;
      }
      NDArray logp = forward.logits().logSoftmax(-1);
      NDArray atLast = logp.mul(scope.create(last, new Shape(b, t, 1)).toType(logp.getDataType(), false)).sum(new int[] {1});
      return atLast.gather(scope.create(tokens, new Shape(b, 1)), 1).reshape(b);
    };
  }

  /**
   * The probability whose log another target gives: {@code exp(logProbability)} (knowledge neurons
   * attribute the answer's probability itself, not its log).
   */
  static Target probability(Target logProbability) {
    return (forward, batch) -> logProbability.apply(forward, batch).exp();
  }

  /** The mean next-token log-likelihood of each sequence's response tokens (every token without a prompt): minus its loss. */
  static Target responseLogLikelihood() {
    return (forward, batch) -> {
      NDManager scope = forward.logits().getManager();
      int b = batch.tokens().size();
      int t = batch.tokens().length();
      long[] next = new long[b * t];
      float[] counted = new float[b * t];
      float[] count = new float[b];
      for (int i = 0; i < b; i++) {
        long[] ids = batch.tokens().ids(i);
        int first = batch.tokens().firstReal(i);
        for (int target = Math.max(1, batch.examples().get(i).responseStart()); target < ids.length; target++) {
          next[i * t + first + target - 1] = ids[target];
          counted[i * t + first + target - 1] = 1f;
          count[i]++;
        }
      }
      NDArray logp = forward.logits().logSoftmax(-1);
      NDArray picked = logp.gather(scope.create(next, new Shape(b, t, 1)), 2).reshape(b, t);
      NDArray mask = scope.create(counted, new Shape(b, t)).toType(logp.getDataType(), false);
      return picked.mul(mask).sum(new int[] {1}).div(scope.create(count).maximum(1f).toType(logp.getDataType(), false));
    };
  }

  /**
   * The log-probability of each example's answer as the next token after its prompt: the answer's
   * first token, encoded without special tokens. The answer is the example's target
   * ({@code contrast().answer()}), else the text of its multiple-choice answer ({@code choices}
   * with the answer letters or names as options, as CULNIG's prompts are answered).
   *
   * @param where the step, for the message when an example has no answer
   */
  static Target answerLogProb(TextTokenizer tokenizer, String where) {
    return (forward, batch) -> {
      long[] tokens = new long[batch.examples().size()];
      for (int i = 0; i < tokens.length; i++) {
        Example x = batch.examples().get(i).example();
        String answer = x.contrast() != null && x.contrast().answer() != null ? x.contrast().answer()
            : x.choices() != null ? x.choices().options().get(x.choices().answer()) : null;
        if (answer == null || answer.isEmpty()) {
          throw new NeuriteException(where + ": example " + x.id() + " (line " + x.line() + ") has no answer; the"
              + " answer target needs one per example (the dataset step's target field, or its choices and answer),"
              + " or use target response.");
        }
        long[] ids = tokenizer.encode(answer, false);
        if (ids.length == 0) {
          throw new NeuriteException(where + ": the answer '" + answer + "' of example " + x.id() + " has no tokens.");
        }
        tokens[i] = ids[0];
      }
      return nextTokenLogProb(tokens).apply(forward, batch);
    };
  }

  /** Copies a target's per-sequence values out as doubles. */
  static double[] values(NDArray perSequence) {
    return perSequence.toType(DataType.FLOAT64, false).toDoubleArray();
  }
}
