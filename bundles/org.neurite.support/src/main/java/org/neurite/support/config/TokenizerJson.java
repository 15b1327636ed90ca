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
   * The library reads any post-processor object that has template fields as a TemplateProcessing,
   * whatever its {@code "type"} says (none, a duplicate, even another processor's name), and in
   * encoding it indexes without checking: a special token its {@code special_tokens} do not define,
   * a token whose {@code ids} and {@code tokens} differ in length, or sequence B in the single
   * template abort the process. So every object of the post-processor tree is checked as a template.
   */
  private static void postProcessor(Path file, JsonElement processor) {
    if (processor == null || !processor.isJsonObject()) {
      return;
    }
    JsonObject o = processor.getAsJsonObject();
    JsonElement processors = o.get("processors");
    if (processors != null && processors.isJsonArray()) {
      processors.getAsJsonArray().forEach(p -> postProcessor(file, p));
    }
    if (!o.has("single") && !o.has("pair") && !o.has("special_tokens")) {
      return;
    }
    JsonElement special = o.get("special_tokens");
    Set<String> defined = special != null && special.isJsonObject() ? special.getAsJsonObject().keySet() : Set.of();
    if (special != null && special.isJsonObject()) {
      for (String token : defined) {
        JsonElement definition = special.getAsJsonObject().get(token);
        JsonObject d = definition.isJsonObject() ? definition.getAsJsonObject() : new JsonObject();
        int ids = length(d.get("ids"));
        int tokens = length(d.get("tokens"));
        if (ids != tokens) {
          throw inconsistent(file, "its post_processor's special token '" + token + "' has " + ids + " ids but "
              + tokens + " tokens; they must be as many");
        }
      }
    }
    for (String part : List.of("single", "pair")) {
      List<String> pieces = pieces(o.get(part));
      for (String piece : pieces) {
        if (piece.equals("$B") && part.equals("single")) {
          throw inconsistent(file, "its post_processor's single template uses the second sequence ($B), which a"
              + " single text does not have");
        }
        if (!piece.startsWith("$") && !defined.contains(piece)) {
          throw inconsistent(file, "its post_processor's " + part + " template uses the special token '" + piece
              + "', which its special_tokens " + defined + " do not define");
        }
      }
    }
  }

  private static NeuriteException inconsistent(Path file, String what) {
    return new NeuriteException("The tokenizer " + file + " is inconsistent: " + what + ". Fix tokenizer.json,"
        + " or use the one saved with the model.");
  }

  private static int length(JsonElement e) {
    return e != null && e.isJsonArray() ? e.getAsJsonArray().size() : 0;
  }

  /**
   * The pieces of a template as the library reads them: {@code "$A"} or {@code "$B"} for a sequence,
   * otherwise a special token's id. A template is a string split at single spaces, each piece an id
   * with an optional {@code :type_id} ({@code "[CLS] $A:0"}; a piece starting with {@code $} is a
   * sequence: {@code $}, {@code $A}, {@code $a} or {@code $N} the first, {@code $B} or {@code $b} the
   * second), or a list of such strings or of {@code {"SpecialToken": {"id": ...}}} and
   * {@code {"Sequence": {"id": "A"}}} objects.
   */
  private static List<String> pieces(JsonElement template) {
    List<String> pieces = new ArrayList<>();
    if (template != null && template.isJsonPrimitive()) {
      for (String piece : template.getAsString().split(" ", -1)) {
        pieces.add(piece(piece));
      }
    } else if (template != null && template.isJsonArray()) {
      for (JsonElement piece : template.getAsJsonArray()) {
        if (piece.isJsonPrimitive()) {
          pieces.add(piece(piece.getAsString()));
          continue;
        }
        JsonObject p = piece.isJsonObject() ? piece.getAsJsonObject() : new JsonObject();
        JsonElement token = p.get("SpecialToken");
        JsonElement sequence = p.get("Sequence");
        if (token != null && token.isJsonObject()) {
          String id = text(token.getAsJsonObject().get("id"));
          pieces.add(id == null ? "" : id);
        } else if (sequence != null && sequence.isJsonObject()) {
          String id = text(sequence.getAsJsonObject().get("id"));
          pieces.add("B".equals(id) ? "$B" : "$A");
        }
      }
    }
    return pieces;
  }

  private static String piece(String piece) {
    String[] parts = piece.split(":", -1);
    String id = parts.length == 2 ? parts[0] : piece;
    if (!id.startsWith("$")) {
      return id;
    }
    return id.equals("$B") || id.equals("$b") ? "$B" : "$A";
  }

  private static String text(JsonElement e) {
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
