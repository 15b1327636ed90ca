package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TokenBatch;

/** Checks a batch against a model before any tensor is made, and looks up embeddings. */
final class Inputs {
  private Inputs() {}

  /**
   * @param maxPositions the longest sequence, or 0 for no limit (rotary models)
   * @throws NeuriteException naming the sequence and position of the first bad token
   */
  static void check(TokenBatch batch, String model, long vocab, int maxPositions, int typeVocab) {
    for (int i = 0; i < batch.size(); i++) {
      long[] ids = batch.ids(i);
      if (maxPositions > 0 && ids.length > maxPositions) {
        throw new NeuriteException("Sequence " + i + " has " + ids.length + " tokens; model " + model + " takes at most "
            + maxPositions + " (max_position_embeddings). Shorten or split it.");
      }
      for (int t = 0; t < ids.length; t++) {
        if (ids[t] < 0 || ids[t] >= vocab) {
          throw new NeuriteException("Token id " + ids[t] + " at position " + t + " of sequence " + i
              + " is outside the vocabulary of model " + model + " (ids 0 to " + (vocab - 1) + ").");
        }
      }
    }
    if (typeVocab > 0) {
      for (long type : batch.paddedTokenTypes()) {
        if (type < 0 || type >= typeVocab) {
          throw new NeuriteException("Token type " + type + " is outside the " + typeVocab + " token types of model "
              + model + ".");
        }
      }
    }
  }

  /** Rows of {@code table} for each id; the result lives where {@code ids} does. */
  static NDArray embed(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }
}
