package org.neurite.models.family;

/**
 * The weights of one post-norm encoder block (BERT): attention, then a residual LayerNorm, then
 * the MLP, then another residual LayerNorm.
 *
 * @param qkv the normalized residual to queries, keys and values
 * @param attentionOut the attention's output projection
 * @param attentionNorm the LayerNorm after the attention's residual add
 * @param intermediate the MLP's input projection (its output is {@code mlp.hook_pre})
 * @param output the MLP's output projection
 * @param outputNorm the LayerNorm after the MLP's residual add
 */
public record EncoderLayer(DecoderLayer.QkvProjection qkv, Linear attentionOut, Norm attentionNorm,
    Linear intermediate, Linear output, Norm outputNorm) {}
