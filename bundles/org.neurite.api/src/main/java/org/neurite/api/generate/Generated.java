package org.neurite.api.generate;

import java.util.Objects;

/**
 * What one prompt generated.
 *
 * @param index the prompt's index in the call
 * @param promptIds the prompt's tokens
 * @param outputIds the generated tokens, in order; an EOS that ended the sequence is the last
 * @param text the generated tokens decoded by the model's tokenizer; empty without one
 * @param finishReason why it stopped
 * @param seed the seed its tokens were drawn with (also recorded for greedy decoding)
 */
public record Generated(int index, long[] promptIds, long[] outputIds, String text, FinishReason finishReason,
    long seed) {
  public Generated {
    promptIds = promptIds.clone();
    outputIds = outputIds.clone();
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(finishReason, "finishReason");
  }

  @Override
  public long[] promptIds() {
    return promptIds.clone();
  }

  @Override
  public long[] outputIds() {
    return outputIds.clone();
  }
}
