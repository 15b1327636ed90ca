package org.neurite.datasets.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which fields of a record hold what an {@link org.neurite.api.data.Example} carries. An empty name
 * means the dataset has no such field (the id then defaults to the line number).
 *
 * @param text the text; may be empty when prompt and response, or ids, are given
 * @param label the label field
 * @param group the group field (a language, a culture, a relation...)
 * @param id the id field
 * @param labels further label fields to keep, by name ({@code lang}, {@code split}...)
 * @param prompt with {@code response}: a text that is a prompt and its response
 * @param response see {@code prompt}
 * @param choices a multiple-choice question's options: one field holding a list, or one field per option
 * @param answer the right choice: its index, its letter, or its text
 * @param corrupted a corrupted prompt, for patching
 * @param target the continuation the clean prompt should get
 * @param corruptedTarget the continuation the corrupted prompt gets
 * @param ids pre-tokenised ids: a list of integers (or, in CSV, integers separated by spaces or commas)
 */
record Fields(String text, String label, String group, String id, List<String> labels, String prompt, String response,
    List<String> choices, String answer, String corrupted, String target, String corruptedTarget, String ids) {

  /** The fields of a dataset a plugin built, as the dataset codec writes it out. */
  static final Fields MATERIALISED = new Fields("text", "label", "group", "id", List.of(), "prompt", "response",
      List.of("choices"), "answer", "corrupted", "target", "corrupted_target", "ids");

  Fields {
    labels = List.copyOf(labels);
    choices = List.copyOf(choices);
  }

  /** Text, label, group and id only, as the plain-text format and older records have. */
  Fields(String text, String label, String group, String id) {
    this(text, label, group, id, List.of(), "", "", List.of(), "", "", "", "", "");
  }

  boolean hasCompletion() {
    return !prompt.isEmpty();
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("text", text);
    json.addProperty("label", label);
    json.addProperty("group", group);
    json.addProperty("id", id);
    json.add("labels", array(labels));
    json.addProperty("prompt", prompt);
    json.addProperty("response", response);
    json.add("choices", array(choices));
    json.addProperty("answer", answer);
    json.addProperty("corrupted", corrupted);
    json.addProperty("target", target);
    json.addProperty("corrupted_target", corruptedTarget);
    json.addProperty("ids", ids);
    return json;
  }

  /** Reads {@link #toJson}; fields that records made before they existed lack are empty. */
  static Fields fromJson(JsonObject json) {
    return new Fields(string(json, "text"), string(json, "label"), string(json, "group"), string(json, "id"),
        list(json, "labels"), string(json, "prompt"), string(json, "response"), list(json, "choices"),
        string(json, "answer"), string(json, "corrupted"), string(json, "target"), string(json, "corrupted_target"),
        string(json, "ids"));
  }

  private static String string(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || value.isJsonNull() ? "" : value.getAsString();
  }

  private static List<String> list(JsonObject json, String key) {
    List<String> out = new ArrayList<>();
    JsonElement value = json.get(key);
    if (value != null && value.isJsonArray()) {
      value.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    }
    return out;
  }

  private static JsonArray array(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }
}
