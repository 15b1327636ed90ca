package org.neurite.models.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Read access to a config.json: required values fail with the key's name, optional ones fall back
 * to the default of the family's Hugging Face config class; a JSON null counts as absent.
 */
final class HfConfig {
  private final JsonObject json;

  HfConfig(JsonObject json) {
    this.json = json;
  }

  JsonObject json() {
    return json;
  }

  boolean has(String key) {
    JsonElement e = json.get(key);
    return e != null && !e.isJsonNull();
  }

  int integer(String key) {
    return require(key).getAsInt();
  }

  int integer(String key, int fallback) {
    return has(key) ? json.get(key).getAsInt() : fallback;
  }

  double number(String key, double fallback) {
    return has(key) ? json.get(key).getAsDouble() : fallback;
  }

  boolean bool(String key, boolean fallback) {
    return has(key) ? json.get(key).getAsBoolean() : fallback;
  }

  String string(String key, String fallback) {
    return has(key) ? json.get(key).getAsString() : fallback;
  }

  String string(String key) {
    return require(key).getAsString();
  }

  /** The object at key, or null when absent or null. */
  JsonObject object(String key) {
    return has(key) ? json.getAsJsonObject(key) : null;
  }

  private JsonElement require(String key) {
    if (!has(key)) {
      throw new IllegalArgumentException("config.json has no " + key);
    }
    return json.get(key);
  }
}
