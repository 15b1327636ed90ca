package org.neurite.models.family;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * The weights of one pre-norm decoder block. For a GLU MLP {@code gate} is set and
 * {@code hook_post = act(gate(x)) * up(x)}; otherwise {@code hook_post = act(up(x))}.
 *
 * @param attentionScale multiplies q.k (1/sqrt(d_head), and 1/(layer+1) for GPT-2 when configured)
 * @param window sliding-window size, or 0 for none
 * @param extras what some families add to the block ({@link Extras#NONE} for none)
 */
public record DecoderLayer(Norm norm1, QkvProjection qkv, Linear out, Norm norm2, Linear gate, Linear up, Linear down,
    double attentionScale, int window, Extras extras) {

  public DecoderLayer {
    Objects.requireNonNull(extras, "extras (Extras.NONE for none)");
  }

  /** A block with nothing beyond the pre-norm decoder (GPT-2, the Llama family). */
  public DecoderLayer(Norm norm1, QkvProjection qkv, Linear out, Norm norm2, Linear gate, Linear up, Linear down,
      double attentionScale, int window) {
    this(norm1, qkv, out, norm2, gate, up, down, attentionScale, window, Extras.NONE);
  }

  /**
   * What some families add to the pre-norm block; each part is absent (null, 0, false) unless set.
   *
   * @param qNorm normalizes each query head over d_head before the rotary embedding (Qwen3, Gemma 3)
   * @param kNorm normalizes each key head likewise
   * @param attnOutNorm normalizes the attention output before it joins the residual stream (Gemma 2
   *     and 3's {@code post_attention_layernorm}); {@code hook_attn_out} is after it
   * @param mlpOutNorm normalizes the MLP output likewise ({@code post_feedforward_layernorm});
   *     {@code hook_mlp_out} is after it
   * @param attnSoftcap caps the scaled attention logits s at {@code tanh(s / cap) * cap} before the
   *     mask (Gemma 2's {@code attn_logit_softcapping}), or 0 for none
   * @param parallel attention and MLP both read the block's input and both add to it (GPT-NeoX's
   *     {@code use_parallel_residual}); such a block has no {@code hook_resid_mid}
   * @param rope this layer's rotary embedding where layers rotate differently (Gemma 3's local and
   *     global layers), or null for the model's ({@link DecoderParts#rope()})
   * @param postNorm the block is post-norm (OPT with {@code do_layer_norm_before} false): attention
   *     and MLP read the residual stream itself, {@code norm1} normalizes the residual after attention
   *     ({@code hook_resid_mid} is after it) and {@code norm2} after the MLP ({@code hook_resid_post}
   *     is after it); such a block has no {@code ln1} or {@code ln2} hook points
   */
  public record Extras(Norm qNorm, Norm kNorm, Norm attnOutNorm, Norm mlpOutNorm, double attnSoftcap, boolean parallel,
      Rope rope, boolean postNorm) {
    public static final Extras NONE = new Extras(null, null, null, null, 0, false, null, false);

    public Extras {
      if ((qNorm == null) != (kNorm == null)) {
        throw new IllegalArgumentException("a query norm and a key norm go together");
      }
      if ((attnOutNorm == null) != (mlpOutNorm == null)) {
        throw new IllegalArgumentException("norms after attention and after the MLP go together");
      }
      if (postNorm && (parallel || attnOutNorm != null)) {
        throw new IllegalArgumentException("a post-norm block has neither parallel branches nor output norms");
      }
      if (!(attnSoftcap >= 0) || Double.isInfinite(attnSoftcap)) {
        throw new IllegalArgumentException("the attention softcap is finite and at least 0, not " + attnSoftcap);
      }
    }

    /** With per-head norms of queries and keys. */
    public Extras qkNorms(Norm q, Norm k) {
      return new Extras(q, k, attnOutNorm, mlpOutNorm, attnSoftcap, parallel, rope, postNorm);
    }

    /** With norms of the attention and MLP outputs (a "sandwich" with the usual pre-norms). */
    public Extras outputNorms(Norm attention, Norm mlp) {
      return new Extras(qNorm, kNorm, attention, mlp, attnSoftcap, parallel, rope, postNorm);
    }

    /** With attention logits soft-capped at {@code cap} (0 for none). */
    public Extras attentionSoftcap(double cap) {
      return new Extras(qNorm, kNorm, attnOutNorm, mlpOutNorm, cap, parallel, rope, postNorm);
    }

    /** With attention and MLP side by side on the block's input. */
    public Extras parallelResidual(boolean value) {
      return new Extras(qNorm, kNorm, attnOutNorm, mlpOutNorm, attnSoftcap, value, rope, postNorm);
    }

    /** Post-norm ({@code true}) or pre-norm. */
    public Extras postNormBlock(boolean value) {
      return new Extras(qNorm, kNorm, attnOutNorm, mlpOutNorm, attnSoftcap, parallel, rope, value);
    }

    /** With a rotary embedding of this layer's own. */
    public Extras layerRope(Rope value) {
      return new Extras(qNorm, kNorm, attnOutNorm, mlpOutNorm, attnSoftcap, parallel, value, postNorm);
    }
  }

  /** Projects the normalized residual to queries, keys and values, each [batch, pos, width]. */
  public interface QkvProjection {
    NDArray[] apply(NDArray x);

    /** Separate q, k and v projections (Llama family). */
    static QkvProjection separate(Linear q, Linear k, Linear v) {
      return x -> new NDArray[] {q.apply(x), k.apply(x), v.apply(x)};
    }

    /** One fused projection whose output is q, k and v one after another, of these widths (Phi-3's qkv_proj). */
    static QkvProjection fused(Linear qkv, long qWidth, long kWidth, long vWidth) {
      if (qkv.out() != qWidth + kWidth + vWidth) {
        throw new IllegalArgumentException("a fused projection of width " + qkv.out() + " is not q " + qWidth
            + " + k " + kWidth + " + v " + vWidth);
      }
      return x -> {
        NDArray all = qkv.apply(x);
        return all.split(new long[] {qWidth, qWidth + kWidth}, 2).toArray(new NDArray[0]);
      };
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
