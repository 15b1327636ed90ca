package org.neurite.models.family;

/**
 * The sizes of a decoder that its weights alone do not tell.
 *
 * @param dMlp the MLP's width: the number of neurons per layer
 * @param heads query heads
 * @param kvHeads key and value heads (fewer than {@code heads} for grouped-query attention)
 * @param dHead the width of one head
 * @param maxPositions the longest sequence the model takes
 */
public record DecoderSizes(int dMlp, int heads, int kvHeads, int dHead, int maxPositions) {}
