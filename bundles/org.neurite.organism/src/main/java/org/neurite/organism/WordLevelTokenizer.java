package org.neurite.organism;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A Hugging Face {@code tokenizer.json} for texts whose tokens are separated by spaces: a WordLevel
 * model over every token of the samples (prompts, responses and choices), split by the
 * {@code WhitespaceSplit} pre-tokenizer, with the special tokens {@code <pad>} (0), {@code <unk>} (1),
 * {@code <bos>} (2) and {@code <eos>} (3) first and the words after them in sorted order.
 */
public final class WordLevelTokenizer {
  public static final List<String> SPECIAL = List.of("<pad>", "<unk>", "<bos>", "<eos>");

  private WordLevelTokenizer() {}

  /** The vocabulary: the special tokens, then every token of the samples, sorted. */
  public static List<String> vocabulary(List<Sample> samples) {
    TreeSet<String> words = new TreeSet<>();
    for (Sample s : samples) {
      split(s.prompt(), words);
      split(s.response(), words);
      s.choices().forEach(c -> split(c, words));
    }
    words.removeAll(SPECIAL);
    List<String> vocabulary = new ArrayList<>(SPECIAL);
    vocabulary.addAll(words);
    return vocabulary;
  }

  private static void split(String text, TreeSet<String> into) {
    for (String token : text.trim().split("\\s+")) {
      if (!token.isEmpty()) {
        into.add(token);
      }
    }
  }

  /** Writes the tokenizer of {@code vocabulary} (ids in list order). */
  public static void write(List<String> vocabulary, Path file) throws IOException {
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", JsonNull.INSTANCE);
    root.add("padding", JsonNull.INSTANCE);
    JsonArray added = new JsonArray();
    for (int i = 0; i < SPECIAL.size(); i++) {
      JsonObject token = new JsonObject();
      token.addProperty("id", i);
      token.addProperty("content", SPECIAL.get(i));
      token.addProperty("single_word", false);
      token.addProperty("lstrip", false);
      token.addProperty("rstrip", false);
      token.addProperty("normalized", false);
      token.addProperty("special", true);
      added.add(token);
    }
    root.add("added_tokens", added);
    root.add("normalizer", JsonNull.INSTANCE);
    JsonObject pre = new JsonObject();
    pre.addProperty("type", "WhitespaceSplit");
    root.add("pre_tokenizer", pre);
    root.add("post_processor", JsonNull.INSTANCE);
    root.add("decoder", JsonNull.INSTANCE);
    JsonObject model = new JsonObject();
    model.addProperty("type", "WordLevel");
    JsonObject vocab = new JsonObject();
    for (int i = 0; i < vocabulary.size(); i++) {
      vocab.addProperty(vocabulary.get(i), i);
    }
    model.add("vocab", vocab);
    model.addProperty("unk_token", "<unk>");
    root.add("model", model);
    Files.writeString(file, new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create()
        .toJson(root) + "\n", StandardCharsets.UTF_8);
  }
}
