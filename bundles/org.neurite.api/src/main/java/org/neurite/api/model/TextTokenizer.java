package org.neurite.api.model;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A model's tokenizer, from its {@code tokenizer.json}. No padding and no truncation are applied. */
@ProviderType
public interface TextTokenizer {

  /** Token ids of a text, with the special tokens the model's tokenizer adds (e.g. [CLS] ... [SEP], BOS). */
  long[] encode(String text);

  /** Token ids of a text, with or without special tokens. */
  long[] encode(String text, boolean addSpecialTokens);

  /** The tokens of a text as strings, for showing. */
  List<String> tokens(String text);

  /** Text from token ids. */
  String decode(long[] ids);
}
