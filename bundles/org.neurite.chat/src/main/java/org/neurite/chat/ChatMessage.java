package org.neurite.chat;

import java.util.Objects;

/**
 * One turn of a conversation: who speaks ({@code system}, {@code user}, {@code assistant},
 * {@code tool}, or whatever else a template accepts) and the text. A template sees it as the dict
 * {@code {"role": role, "content": content}}.
 */
public record ChatMessage(String role, String content) {
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
