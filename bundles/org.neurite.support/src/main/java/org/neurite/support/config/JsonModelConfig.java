package org.neurite.support.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelConfig;

/**
 * A Hugging Face {@code config.json} read with Gson: the {@link ModelConfig} of a model folder, with
 * typed accessors whose errors name the file and the key. Nested objects such as {@code rope_scaling} are configs of their own.
 */
public final class JsonModelConfig implements ModelConfig {
  private final Path file;
  private final String where;
  private final JsonObject json;

  private JsonModelConfig(Path file, String where, JsonObject json) {
    this.file = file;
    this.where = where;
    this.json = json;
  }

  /**
   * Reads a config file.
   *
   * @throws NeuriteException if it is missing or not a JSON object
   */
  public static JsonModelConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new NeuriteException("The model folder " + file.getParent() + " has no config.json; a Hugging Face"
          + " model folder needs config.json, model.safetensors (or its index) and, for text, tokenizer.json.");
    } catch (IOException e) {
      throw new NeuriteException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        throw new NeuriteException(file + " is not a JSON object; it should hold the model's configuration.");
      }
      return new JsonModelConfig(file, file.toString(), parsed.getAsJsonObject());
    } catch (JsonParseException e) {
      throw new NeuriteException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** A config from JSON text, for models that are not read from a folder ({@code where} names it in errors). */
  public static JsonModelConfig of(String jsonText, String where) {
    return new JsonModelConfig(null, where, JsonParser.parseString(jsonText).getAsJsonObject());
  }

  /** The file it was read from, or null. */
  @Override
  public Path file() {
    return file;
  }

  /** {@code model_type}, e.g. {@code llama}; empty if absent. */
  @Override
  public String modelType() {
    return string("model_type").orElse("");
  }

  /** {@code architectures}, e.g. {@code [LlamaForCausalLM]}; empty if absent. */
  @Override
  public List<String> architectures() {
    List<String> names = new ArrayList<>();
    JsonElement value = json.get("architectures");
    if (value != null && value.isJsonArray()) {
      for (JsonElement e : value.getAsJsonArray()) {
        if (!e.isJsonPrimitive()) {
          throw wrongType("architectures", "a list of class names", value);
        }
        names.add(e.getAsString());
      }
    }
    return names;
  }

  @Override
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(json.keySet()));
  }

  /** Whether the key is present and not null. */
  @Override
  public boolean has(String key) {
    JsonElement value = json.get(key);
    return value != null && !value.isJsonNull();
  }

  @Override
  public Optional<String> string(String key) {
    JsonElement value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isJsonPrimitive()) {
      throw wrongType(key, "a string", value);
    }
    return Optional.of(value.getAsString());
  }

  /** A required integer. */
  @Override
  public int integer(String key) {
    return optionalInteger(key).orElseThrow(() -> new NeuriteException(where + " has no '" + key
        + "', which this model family needs (an integer)."));
  }

  @Override
  public int integer(String key, int fallback) {
    return optionalInteger(key).orElse(fallback);
  }

  @Override
  public OptionalInt optionalInteger(String key) {
    JsonElement value = present(key);
    if (value == null) {
      return OptionalInt.empty();
    }
    if (!isNumber(value) || value.getAsDouble() != Math.rint(value.getAsDouble())) {
      throw wrongType(key, "an integer", value);
    }
    // the range before converting: Gson would wrap 4294967297 to 1, and throw on 1e20000
    if (value.getAsDouble() < Integer.MIN_VALUE || value.getAsDouble() > Integer.MAX_VALUE) {
      throw wrongType(key, "an integer from -2147483648 to 2147483647", value);
    }
    return OptionalInt.of((int) value.getAsDouble());
  }

  @Override
  public double number(String key, double fallback) {
    return optionalNumber(key).orElse(fallback);
  }

  @Override
  public OptionalDouble optionalNumber(String key) {
    JsonElement value = present(key);
    if (value == null) {
      return OptionalDouble.empty();
    }
    if (!isNumber(value)) {
      throw wrongType(key, "a number", value);
    }
    return OptionalDouble.of(value.getAsDouble());
  }

  @Override
  public boolean flag(String key, boolean fallback) {
    JsonElement value = present(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
      throw wrongType(key, "true or false", value);
    }
    return value.getAsBoolean();
  }

  /** A nested object, e.g. {@code rope_scaling}. */
  @Override
  public Optional<ModelConfig> object(String key) {
    JsonElement value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isJsonObject()) {
      throw wrongType(key, "an object", value);
    }
    return Optional.of(new JsonModelConfig(file, where + " (" + key + ")", value.getAsJsonObject()));
  }

  /** A list of numbers, e.g. {@code rope_scaling.long_factor}. */
  @Override
  public Optional<double[]> numbers(String key) {
    JsonElement value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isJsonArray()) {
      throw wrongType(key, "a list of numbers", value);
    }
    double[] out = new double[value.getAsJsonArray().size()];
    for (int i = 0; i < out.length; i++) {
      JsonElement e = value.getAsJsonArray().get(i);
      if (!isNumber(e)) {
        throw wrongType(key, "a list of numbers", value);
      }
      out[i] = e.getAsDouble();
    }
    return Optional.of(out);
  }

  /** An error about this config that names it: for values that are present but not supported. */
  @Override
  public NeuriteException unsupported(String key, String why) {
    return new NeuriteException(where + ": '" + key + "' = " + json.get(key) + " is not supported: " + why);
  }

  /** The JSON text, as read. */
  @Override
  public String toJson() {
    return json.toString();
  }

  private JsonElement present(String key) {
    JsonElement value = json.get(key);
    return value == null || value.isJsonNull() ? null : value;
  }

  private static boolean isNumber(JsonElement value) {
    return value.isJsonPrimitive() && ((JsonPrimitive) value).isNumber();
  }

  private NeuriteException wrongType(String key, String expected, JsonElement value) {
    return new NeuriteException(where + ": '" + key + "' must be " + expected + ", found " + value
        + ". Fix the value in config.json.");
  }

  @Override
  public String toString() {
    return where;
  }
}
