package org.neurite.models.family;

import ai.djl.ndarray.NDArray;

/**
 * The weights of one pre-norm decoder block. For a GLU MLP {@code gate} is set and
 * {@code hook_post = act(gate(x)) * up(x)}; otherwise {@code hook_post = act(up(x))}.
 *
 * @param attentionScale multiplies q.k (1/sqrt(d_head), and 1/(layer+1) for GPT-2 when configured)
 * @param window sliding-window size, or 0 for none
 */
public record DecoderLayer(Norm norm1, QkvProjection qkv, Linear out, Norm norm2, Linear gate, Linear up, Linear down,
    double attentionScale, int window) {

  /** Projects the normalized residual to queries, keys and values, each [batch, pos, width]. */
  public interface QkvProjection {
    NDArray[] apply(NDArray x);

    /** Separate q, k and v projections (Llama family). */
    static QkvProjection separate(Linear q, Linear k, Linear v) {
      return x -> new NDArray[] {q.apply(x), k.apply(x), v.apply(x)};
    }

    /** One fused projection split in three equal parts (GPT-2's c_attn). */
    static QkvProjection fused(Linear qkv) {
      return x -> {
        NDArray all = qkv.apply(x);
        return all.split(3, 2).toArray(new NDArray[0]);
      };
    }
  }
}
