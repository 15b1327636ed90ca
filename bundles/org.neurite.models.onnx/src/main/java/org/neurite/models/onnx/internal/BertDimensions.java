package org.neurite.models.onnx.internal;

/**
 * The sizes of a BERT encoder, as its config.json states them.
 *
 * @param hidden {@code hidden_size}
 * @param layers {@code num_hidden_layers}
 * @param heads {@code num_attention_heads}
 * @param intermediate {@code intermediate_size}
 * @param vocab {@code vocab_size}
 * @param maxPositions {@code max_position_embeddings}
 * @param typeVocab {@code type_vocab_size}
 */
record BertDimensions(int hidden, int layers, int heads, int intermediate, int vocab, int maxPositions,
    int typeVocab) {}
