package org.neurite.chat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model's chat template, ready to render conversations. Rendering is what Hugging Face
 * transformers' {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=...)}
 * returns, character for character, for the templates and constructs docs/generation.md lists.
 */
@ProviderType
public interface ChatTemplate {
  /** The model folder the template belongs to. */
  Path modelFolder();

  /** The file the template text came from: chat_template.jinja, tokenizer_config.json, ... */
  Path source();

  /** {@code default}, or the name of one of several templates (e.g. {@code tool_use}). */
  String name();

  /** The Jinja source. */
  String text();

  /**
   * The prompt text for a conversation.
   *
   * @param addGenerationPrompt whether to end with the tokens that start an assistant turn
   * @throws org.neurite.api.NeuriteException when the template rejects the conversation (its
   *     {@code raise_exception}) or cannot be rendered; the message names the folder and the file
   */
  String render(List<ChatMessage> messages, boolean addGenerationPrompt);

  /**
   * As {@link #render(List, boolean)}, with more template variables, as keyword arguments to
   * {@code apply_chat_template} are: {@code tools} (a list of JSON schemas), {@code documents},
   * {@code enable_thinking}, {@code date_string}, ... Values are null, strings, numbers, booleans,
   * lists and maps of those. They may replace special tokens but not {@code messages} or
   * {@code add_generation_prompt}.
   */
  String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables);

  /** The same template, with {@code strftime_now} reading this clock (for reproducible prompts). */
  ChatTemplate withClock(Clock clock);
}
