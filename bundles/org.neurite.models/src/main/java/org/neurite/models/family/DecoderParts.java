package org.neurite.models.family;

import ai.djl.ndarray.NDArray;

/**
 * The weights of a pre-norm causal decoder, as a family assembles them from a checkpoint: GPT-2
 * (learned positions, LayerNorm, fused q/k/v) and the Llama family (rotary positions, RMSNorm,
 * grouped-query attention, SwiGLU) are both this decoder with different parts.
 *
 * @param tokenEmbedding [vocab, d_model]
 * @param positionEmbedding [max_positions, d_model] for learned positions, or null
 * @param layers the blocks, in order
 * @param finalNorm the norm before the head ({@code ln_final})
 * @param head hidden states to logits ([vocab, d_model], often the token embedding itself), or null
 * @param rope the rotary embedding applied to queries and keys, or null
 * @param activation the MLP's activation
 */
public record DecoderParts(NDArray tokenEmbedding, NDArray positionEmbedding, DecoderLayer[] layers, Norm finalNorm,
    Linear head, Rope rope, Activation activation) {}
