package org.neurite.api.generate;

/**
 * Where a generation hook acts. The first decoding step runs the whole (left-padded) prompt, every
 * later step one generated token per sequence, so a hook on {@code PROMPT} runs in the first step
 * only and one on {@code GENERATED} in every later step. The first generated token is predicted from
 * the prompt's last position, so {@code GENERATED} hooks change tokens from the second one on.
 */
public enum Positions { PROMPT, GENERATED, ALL;

  /** Whether a hook restricted to these positions acts in decoding step {@code step}. */
  public boolean includes(int step) {
    return this == ALL || (this == PROMPT) == (step == 0);
  }
}
