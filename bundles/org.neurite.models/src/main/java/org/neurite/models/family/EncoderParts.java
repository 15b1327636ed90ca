package org.neurite.models.family;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * The weights of a post-norm bidirectional encoder (BERT, MiniLM, BGE): word, position and
 * token-type embeddings, then blocks of attention and MLP each followed by a residual LayerNorm.
 *
 * @param words [vocab, d_model]
 * @param positions [max_positions, d_model]
 * @param tokenTypes [type_vocab, d_model]
 * @param embeddingNorm the LayerNorm over the summed embeddings
 * @param layers the blocks, in order
 * @param activation the MLP's activation
 * @param pooler {@code tanh(dense(h[:, 0]))}, or null
 * @param lmHead the masked-LM head from hidden states to logits, or null
 */
public record EncoderParts(NDArray words, NDArray positions, NDArray tokenTypes, Norm embeddingNorm,
    EncoderLayer[] layers, Activation activation, Linear pooler, UnaryOperator<NDArray> lmHead) {}
