package org.neurite.models.internal.generate;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.neurite.api.NeuriteException;

/**
 * A model's EOS token ids, where Hugging Face's {@code generate} takes them from:
 * {@code generation_config.json}'s {@code eos_token_id} if the folder has one, else config.json's
 * (an id or a list of ids). Empty when neither names one.
 */
final class EosTokens {
  private EosTokens() {}

  static Set<Long> of(Path folder) {
    Set<Long> fromGeneration = read(folder.resolve("generation_config.json"));
    return fromGeneration.isEmpty() ? read(folder.resolve("config.json")) : fromGeneration;
  }

  private static Set<Long> read(Path file) {
    Set<Long> ids = new LinkedHashSet<>();
    if (!Files.isRegularFile(file)) {
      return ids;
    }
    JsonElement eos;
    try {
      JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
      if (!root.isJsonObject()) {
        return ids;
      }
      eos = ((JsonObject) root).get("eos_token_id");
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException("Cannot read the EOS token of " + file + ": " + e.getMessage()
          + ". Fix the file, or give the EOS ids in the generation options.");
    }
    if (eos == null || eos.isJsonNull()) {
      return ids;
    }
    try {
      if (eos.isJsonArray()) {
        eos.getAsJsonArray().forEach(e -> ids.add(e.getAsLong()));
      } else {
        ids.add(eos.getAsLong());
      }
    } catch (RuntimeException e) {
      throw new NeuriteException("eos_token_id in " + file + " is " + eos + "; it must be a token id or a list of"
          + " token ids.");
    }
    return ids;
  }
}
