package org.neurite.chat.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.chat.ChatMessage;

/**
 * The variables a render hands to the template, as transformers builds them:
 * {@code render(messages=..., tools=..., documents=..., add_generation_prompt=..., **special_tokens,
 * **kwargs)}, where tools and documents are None unless the caller gives them.
 */
final class TemplateVariables {
  private static final Set<String> RESERVED = Set.of("messages", "add_generation_prompt");

  private TemplateVariables() {}

  static Map<String, Object> of(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> specialTokens,
      Map<String, ?> extra) {
    Map<String, Object> variables = new LinkedHashMap<>(specialTokens);
    variables.put("tools", null);
    variables.put("documents", null);
    for (Map.Entry<String, ?> entry : extra.entrySet()) {
      if (RESERVED.contains(entry.getKey())) {
        throw new IllegalArgumentException("'" + entry.getKey() + "' is set by render itself, not as a template variable");
      }
      variables.put(entry.getKey(), copy(entry.getValue(), entry.getKey()));
    }
    List<Object> turns = new ArrayList<>(messages.size());
    for (ChatMessage message : messages) {
      turns.add(message(message));
    }
    variables.put("messages", turns);
    variables.put("add_generation_prompt", addGenerationPrompt);
    return variables;
  }

  private static Map<String, Object> message(ChatMessage message) {
    Map<String, Object> turn = new LinkedHashMap<>();
    turn.put("role", message.role());
    turn.put("content", message.content());
    return turn;
  }

  /** A private copy in the types the template layer understands; anything else is a caller's bug. */
  private static Object copy(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Character || value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof ChatMessage message) {
      return message(message);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        copy.put(key, copy(entry.getValue(), path + "." + key));
      }
      return copy;
    }
    if (value instanceof Collection<?> items) {
      List<Object> copy = new ArrayList<>(items.size());
      int i = 0;
      for (Object item : items) {
        copy.add(copy(item, path + "[" + i++ + "]"));
      }
      return copy;
    }
    throw new IllegalArgumentException("Template variable " + path + " is a " + value.getClass().getName()
        + "; use null, strings, numbers, booleans, lists and maps");
  }
}
