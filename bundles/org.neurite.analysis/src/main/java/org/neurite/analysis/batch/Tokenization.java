package org.neurite.analysis.batch;

import java.util.Arrays;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TextTokenizer;
import org.neurite.chat.ChatMessage;
import org.neurite.chat.ChatTemplate;
import org.neurite.chat.ChatTemplates;

/**
 * Turns examples into token ids for one model: pre-tokenised ids as given, else the text through
 * the model's tokenizer, truncated to a maximum length. For a prompt and response, the response
 * starts where the prompt's own tokens end; when the tokenizer merges across the boundary, the
 * response starts at the first token that differs from the prompt's.
 */
public final class Tokenization {
  private final LanguageModel model;
  private final TextTokenizer tokenizer;
  private final int maxTokens;
  private final ChatTemplate chat;

  /**
   * @param maxTokens the most tokens of an example that are kept (the rest is cut off), at most the
   *     model's maximum
   */
  public Tokenization(LanguageModel model, int maxTokens) {
    this(model, maxTokens, null);
  }

  private Tokenization(LanguageModel model, int maxTokens, ChatTemplate chat) {
    this.model = model;
    this.tokenizer = model.tokenizer().orElse(null);
    this.maxTokens = Math.min(maxTokens, model.spec().maxPositions());
    this.chat = chat;
  }

  /**
   * The same tokenization with each text (or a completion's prompt) wrapped as a user message in the
   * model's chat template, with the generation prompt (the tokens that open the assistant's turn);
   * a completion's response follows it. The rendered text holds the special tokens the template
   * writes, so it is encoded without adding more, as {@code apply_chat_template} encodes it.
   *
   * @throws NeuriteException if the model's folder has no chat template, saying what to do
   */
  public Tokenization withChat() {
    return new Tokenization(model, maxTokens, ChatTemplates.require(model.source()));
  }

  /** The text the model reads for a prompt: the prompt itself, or the prompt in the chat template. */
  public String promptText(String prompt) {
    return chat == null ? prompt : chat.render(List.of(ChatMessage.user(prompt)), true);
  }

  private long[] encode(TextTokenizer t, String text) {
    return chat == null ? t.encode(text) : t.encode(text, false);
  }

  /**
   * @param groupField the label field that names the example's group: {@code group} for the dataset's
   *     group field, or a field kept among its labels; empty for none
   */
  public TokenizedExample tokenize(Example example, String groupField) {
    long[] ids;
    int responseStart = 0;
    if (example.ids() != null) {
      if (chat != null) {
        throw new NeuriteException("Example " + example.id() + " (line " + example.line() + ") gives token ids, which"
            + " cannot be wrapped in a chat template; give the dataset texts, or set its chat parameter to false.");
      }
      ids = example.ids();
    } else {
      TextTokenizer t = tokenizer();
      if (example.text() == null) {
        throw new NeuriteException("Example " + example.id() + " (line " + example.line() + ") has neither text nor ids.");
      }
      if (example.completion() != null) {
        String prompt = promptText(example.completion().prompt());
        ids = encode(t, prompt + example.completion().response());
        responseStart = boundary(encode(t, prompt), ids);
      } else {
        ids = encode(t, promptText(example.text()));
      }
    }
    if (ids.length == 0) {
      throw new NeuriteException("Example " + example.id() + " (line " + example.line() + ") has no tokens; give it text.");
    }
    if (ids.length > maxTokens) {
      ids = Arrays.copyOf(ids, maxTokens);
      responseStart = Math.min(responseStart, maxTokens);
    }
    long vocab = model.spec().vocab();
    for (long id : ids) {
      if (id < 0 || id >= vocab) {
        throw new NeuriteException("Example " + example.id() + " (line " + example.line() + ") has token id " + id
            + ", outside the vocabulary of model " + model.name() + " (0-" + (vocab - 1) + ").");
      }
    }
    return new TokenizedExample(example, ids, responseStart, group(example, groupField));
  }

  /** The group of an example by the named field; null when no field is named. */
  public static String group(Example example, String groupField) {
    if (groupField == null || groupField.isEmpty()) {
      return null;
    }
    if (groupField.equals("group")) {
      return example.group();
    }
    return example.labelOf(groupField).orElseGet(() -> groupField.equals("label") ? example.label() : null);
  }

  private TextTokenizer tokenizer() {
    if (tokenizer == null) {
      throw new NeuriteException("Model " + model.name() + " has no tokenizer.json; give the dataset pre-tokenised ids"
          + " (the dataset step's ids parameter).");
    }
    return tokenizer;
  }

  /** Where the response begins in the whole text's ids: after the longest common prefix with the prompt's ids. */
  static int boundary(long[] prompt, long[] whole) {
    int n = Math.min(prompt.length, whole.length);
    int i = 0;
    while (i < n && prompt[i] == whole[i]) {
      i++;
    }
    // a tokenizer that appends an end token to the prompt alone (e.g. [SEP]) ends the prompt there
    return i;
  }
}
