package org.neurite.analysis.capture;

import java.util.List;
import java.util.Locale;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TokenBatch;

/**
 * Which positions of each sequence an analysis reads or an intervention acts on. Padding is never
 * among them.
 */
public enum Positions {
  /** Every real token. */
  ALL,
  /** The last real token (the next-token position of a decoder). */
  LAST,
  /** The first real token (CLS for BERT-style encoders). */
  FIRST,
  /** The response tokens of a prompt and response (every token when an example has no prompt). */
  RESPONSE,
  /** The prompt tokens of a prompt and response (none when an example has no prompt). */
  PROMPT;

  /** By name, case-insensitive; the message lists the names. */
  public static Positions parse(String name, String where) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new NeuriteException(where + ": positions '" + name + "' is not one of all, last, first, response, prompt.");
    }
  }

  /** The mask [batch, pos] (row-major): 1 at the chosen positions of each sequence, 0 elsewhere. */
  public float[] mask(Batches.Batch batch) {
    TokenBatch tokens = batch.tokens();
    List<TokenizedExample> examples = batch.examples();
    float[] mask = new float[tokens.size() * tokens.length()];
    for (int i = 0; i < tokens.size(); i++) {
      int first = tokens.firstReal(i);
      int n = tokens.length(i);
      int responseStart = examples.get(i).responseStart();
      int from;
      int to;
      switch (this) {
        case ALL -> {
          from = 0;
          to = n;
        }
        case LAST -> {
          from = n - 1;
          to = n;
        }
        case FIRST -> {
          from = 0;
          to = 1;
        }
        case RESPONSE -> {
          from = responseStart;
          to = n;
        }
        case PROMPT -> {
          from = 0;
          to = responseStart;
        }
        default -> throw new IllegalStateException(name());
      }
      for (int t = from; t < to; t++) {
        mask[i * tokens.length() + first + t] = 1f;
      }
    }
    return mask;
  }

  /**
   * The mask for a bare token batch, as an intervention sees it inside a forward pass.
   *
   * @throws NeuriteException for {@code response} and {@code prompt}, which need the examples'
   *     prompt boundaries that a bare batch does not carry
   */
  public float[] mask(TokenBatch tokens) {
    if (this == RESPONSE || this == PROMPT) {
      throw new NeuriteException("Positions '" + name().toLowerCase(Locale.ROOT) + "' need each example's prompt"
          + " boundary, which an intervention inside a forward pass does not see; intervene at all, last or first"
          + " positions, or score response tokens with an evaluator's response-only option.");
    }
    float[] mask = new float[tokens.size() * tokens.length()];
    for (int i = 0; i < tokens.size(); i++) {
      int first = tokens.firstReal(i);
      int n = tokens.length(i);
      int from = this == LAST ? n - 1 : 0;
      int to = this == FIRST ? 1 : n;
      for (int t = from; t < to; t++) {
        mask[i * tokens.length() + first + t] = 1f;
      }
    }
    return mask;
  }
}
