package org.neurite.chat.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The special tokens a template sees, as transformers' {@code special_tokens_map} gives them: the
 * seven named tokens that are set (a string, or an AddedToken object's {@code content}) and
 * {@code additional_special_tokens} as a list of strings. A token that is null or empty is not
 * defined at all, so {@code {{ bos_token }}} prints nothing for a model without one.
 */
final class SpecialTokens {
  static final List<String> NAMES =
      List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");
  static final String ADDITIONAL = "additional_special_tokens";

  private SpecialTokens() {}

  /**
   * @param config tokenizer_config.json, or null
   * @param map special_tokens_map.json, or null: it only fills tokens the config leaves unset, as
   *     transformers lets the config win
   */
  static Map<String, Object> of(JsonObject config, JsonObject map) {
    Map<String, Object> tokens = new LinkedHashMap<>();
    for (String name : NAMES) {
      String value = token(config, name);
      if (value == null) {
        value = token(map, name);
      }
      if (value != null && !value.isEmpty()) {
        tokens.put(name, value);
      }
    }
    List<String> additional = additional(config);
    if (additional.isEmpty()) {
      additional = additional(map);
    }
    if (!additional.isEmpty()) {
      tokens.put(ADDITIONAL, additional);
    }
    return tokens;
  }

  private static String token(JsonObject json, String name) {
    return json == null ? null : text(json.get(name));
  }

  private static String text(JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      return value.getAsString();
    }
    if (value.isJsonObject()) {
      return text(value.getAsJsonObject().get("content"));
    }
    return null;
  }

  private static List<String> additional(JsonObject json) {
    List<String> tokens = new ArrayList<>();
    if (json != null && json.get(ADDITIONAL) instanceof JsonArray array) {
      for (JsonElement element : array) {
        String token = text(element);
        if (token != null) {
          tokens.add(token);
        }
      }
    }
    return tokens;
  }
}
