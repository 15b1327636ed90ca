package org.neurite.analysis.batch;

import java.util.Objects;
import org.neurite.api.data.Example;

/**
 * An example as the model reads it.
 *
 * @param example the example
 * @param ids its token ids (the dataset's pre-tokenised ids, or its text through the model's tokenizer)
 * @param responseStart the index of the first response token when the example is a prompt and response,
 *     else 0 (every token counts as "response")
 * @param group the group it belongs to for the analysis, or null
 */
public record TokenizedExample(Example example, long[] ids, int responseStart, String group) {
  public TokenizedExample {
    Objects.requireNonNull(example, "example");
    if (ids.length == 0) {
      throw new IllegalArgumentException("example " + example.id() + " has no tokens");
    }
    if (responseStart < 0 || responseStart > ids.length) {
      throw new IllegalArgumentException("response start " + responseStart + " outside " + ids.length + " tokens");
    }
    ids = ids.clone();
  }

  @Override
  public long[] ids() {
    return ids.clone();
  }

  /** The number of tokens. */
  public int length() {
    return ids.length;
  }
}
