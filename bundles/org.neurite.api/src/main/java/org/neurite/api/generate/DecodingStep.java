package org.neurite.api.generate;

import org.neurite.api.model.TokenBatch;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One decoding step, as a {@link org.neurite.api.hook.GenerationSink} sees it. Step 0 runs the
 * prompts (the batch is the left-padded prompts); step {@code n > 0} runs each sequence's
 * {@code n}-th generated token (the batch has one token per sequence). Rows are the prompts' indices
 * in the call; a sequence that has finished still runs, and its later tokens are discarded.
 */
@ProviderType
public interface DecodingStep {
  /** 0 for the prompt pass, n for the pass over the n-th generated token. */
  int index();

  /** The tokens this step runs: [prompts, padded prompt length] at step 0, [prompts, 1] later. */
  TokenBatch batch();

  /** Whether sequence {@code row} has already finished (its outputs from now on are discarded). */
  boolean finished(int row);

  /**
   * Ends sequence {@code row} after this step with finish reason {@code abstained:<reason>}: the
   * token this step would predict is not added. The first abstention of a sequence wins.
   *
   * @throws org.neurite.api.NeuriteException if the reason is empty or the row is out of range
   */
  void abstain(int row, String reason);
}
