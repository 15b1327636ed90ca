package org.neurite.support.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.neurite.api.NeuriteException;

/**
 * The check a {@code tokenizer.json} passes before it is handed to the native Hugging Face
 * tokenizers library: strict JSON holding one object. That library aborts the whole process (a
 * Rust panic it cannot unwind) on some syntax errors, e.g. inside {@code "decoder"}, and on a
 * template that names an undefined special token, instead of returning an error, so those must
 * never reach it.
 */
public final class TokenizerJson {
  private TokenizerJson() {}

  /**
   * Checks the file.
   *
   * @throws NeuriteException naming the file and the position, if it is not strict JSON or not an object
   */
  public static void check(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonReader reader = new JsonReader(in);
      reader.setStrictness(Strictness.STRICT);
      JsonElement root = JsonParser.parseReader(reader);
      if (!root.isJsonObject()) {
        throw new NeuriteException("The tokenizer " + file + " is not a JSON object; it must be a Hugging Face"
            + " tokenizer.json.");
      }
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonParseException("unexpected content after the object at " + reader.getPath());
      }
      postProcessor(file, root.getAsJsonObject().get("post_processor"));
    } catch (JsonParseException | IllegalStateException e) {
      String detail = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
          : e.getMessage();
      throw new NeuriteException("The tokenizer " + file + " is not valid JSON (" + detail + "); it must be a"
          + " Hugging Face tokenizer.json, as saved by save_pretrained.");
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A TemplateProcessing post-processor (alone or in a Sequence) may only name special tokens its
   * {@code special_tokens} define: the library aborts the process when it meets another one.
   */
  private static void postProcessor(Path file, JsonElement processor) {
    if (processor == null || !processor.isJsonObject()) {
      return;
    }
    JsonObject o = processor.getAsJsonObject();
    String type = text(o.get("type"));
    if ("Sequence".equals(type) && o.get("processors") != null && o.get("processors").isJsonArray()) {
      o.getAsJsonArray("processors").forEach(p -> postProcessor(file, p));
    }
    if (!"TemplateProcessing".equals(type)) {
      return;
    }
    JsonElement special = o.get("special_tokens");
    Set<String> defined = special != null && special.isJsonObject() ? special.getAsJsonObject().keySet() : Set.of();
    for (String part : List.of("single", "pair")) {
      for (String token : specialTokens(o.get(part))) {
        if (!defined.contains(token)) {
          throw new NeuriteException("The tokenizer " + file + " is inconsistent: its post_processor's " + part
              + " template uses the special token '" + token + "', which its special_tokens " + defined
              + " do not define. Fix tokenizer.json, or use the one saved with the model.");
        }
      }
    }
  }

  /** The special tokens of a template: {@code "[CLS] $A [SEP]"} or {@code [{"SpecialToken": {"id": ...}}, ...]}. */
  private static List<String> specialTokens(JsonElement template) {
    List<String> tokens = new ArrayList<>();
    if (template != null && template.isJsonPrimitive()) {
      for (String piece : template.getAsString().trim().split("\\s+")) {
        if (!piece.isEmpty() && !piece.startsWith("$")) {
          tokens.add(piece.contains(":") ? piece.substring(0, piece.lastIndexOf(':')) : piece);
        }
      }
    } else if (template != null && template.isJsonArray()) {
      for (JsonElement piece : template.getAsJsonArray()) {
        JsonElement token = piece.isJsonObject() ? piece.getAsJsonObject().get("SpecialToken") : null;
        String id = token != null && token.isJsonObject() ? text(token.getAsJsonObject().get("id")) : null;
        if (id != null) {
          tokens.add(id);
        }
      }
    }
    return tokens;
  }

  private static String text(JsonElement e) {
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
