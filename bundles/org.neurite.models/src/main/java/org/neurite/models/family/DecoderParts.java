package org.neurite.models.family;

import ai.djl.ndarray.NDArray;

/**
 * The weights of a pre-norm causal decoder, as a family assembles them from a checkpoint: GPT-2
 * (learned positions, LayerNorm, fused q/k/v) and the Llama family (rotary positions, RMSNorm,
 * grouped-query attention, SwiGLU) are both this decoder with different parts.
 *
 * @param tokenEmbedding [vocab, d_model], or [vocab, d_embed] with {@link Extras#projectIn()}
 * @param positionEmbedding [max_positions, d_model] for learned positions, or null
 * @param layers the blocks, in order
 * @param finalNorm the norm before the head ({@code ln_final})
 * @param head hidden states to logits ([vocab, d_model], often the token embedding itself), or null
 * @param rope the rotary embedding applied to queries and keys, or null
 * @param activation the MLP's activation
 * @param extras what some families add ({@link Extras#NONE} for none)
 */
public record DecoderParts(NDArray tokenEmbedding, NDArray positionEmbedding, DecoderLayer[] layers, Norm finalNorm,
    Linear head, Rope rope, Activation activation, Extras extras) {

  public DecoderParts {
    java.util.Objects.requireNonNull(extras, "extras (Extras.NONE for none)");
  }

  /** A decoder with nothing beyond token (and position) embeddings, blocks, final norm and head. */
  public DecoderParts(NDArray tokenEmbedding, NDArray positionEmbedding, DecoderLayer[] layers, Norm finalNorm,
      Linear head, Rope rope, Activation activation) {
    this(tokenEmbedding, positionEmbedding, layers, finalNorm, head, rope, activation, Extras.NONE);
  }

  /**
   * What some families add around the blocks.
   *
   * @param embeddingScale multiplies the token embeddings, in the compute type, before they enter the
   *     residual stream ({@code hook_embed} is after it): Gemma's sqrt(d_model); 1 for none
   * @param logitSoftcap caps the logits z at {@code tanh(z / cap) * cap} (Gemma 2's
   *     {@code final_logit_softcapping}), or 0 for none
   * @param projectIn maps token embeddings narrower than the residual stream to its width before
   *     {@code hook_embed} (OPT's {@code project_in}), or null
   * @param projectOut maps the final norm's output to the head's width (OPT's {@code project_out}):
   *     the hidden states are its output, {@code ln_final.hook_normalized} its input; or null
   */
  public record Extras(double embeddingScale, double logitSoftcap, Linear projectIn, Linear projectOut) {
    public static final Extras NONE = new Extras(1.0, 0, null, null);

    /** Gemma's embedding scale and Gemma 2's logit softcap. */
    public Extras(double embeddingScale, double logitSoftcap) {
      this(embeddingScale, logitSoftcap, null, null);
    }

    /** With projections into and out of the residual stream's width. */
    public Extras projections(Linear in, Linear out) {
      return new Extras(embeddingScale, logitSoftcap, in, out);
    }

    public Extras {
      if (!(embeddingScale > 0) || Double.isInfinite(embeddingScale) || !(logitSoftcap >= 0)
          || Double.isInfinite(logitSoftcap)) {
        throw new IllegalArgumentException("an embedding scale above 0 and a logit softcap of at least 0, not "
            + embeddingScale + " and " + logitSoftcap);
      }
    }
  }
}
