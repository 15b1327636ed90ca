package org.neurite.models.reference;

/** One family's forward pass over one unpadded sequence with positions 0..T-1. */
interface FamilyForward {
  /**
   * Runs the model.
   *
   * @param ids token ids [T]
   * @param tokenTypes token type ids [T] (BERT; null for all zeros); decoders refuse non-null
   * @param override applied to each layer's hook_post before the down projection; never null
   */
  Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override);

  /** The model's sizes. */
  Sizes sizes();

  /**
   * @param mlpWidth the MLP's hidden width (the width of hook_pre / hook_post)
   * @param gated whether the MLP is gated (hook_pre_linear exists)
   */
  record Sizes(int layers, int hiddenSize, int mlpWidth, int vocabSize, boolean gated) {}
}
