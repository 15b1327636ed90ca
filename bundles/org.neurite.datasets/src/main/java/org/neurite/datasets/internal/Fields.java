package org.neurite.datasets.internal;

import com.google.gson.JsonObject;

/**
 * Which fields of a record hold the text, the label, the group and the id. Empty names mean the
 * dataset has no such field (the id then defaults to the line number).
 */
record Fields(String text, String label, String group, String id) {
  /** The fields of a dataset a plugin built, as the dataset codec writes it out. */
  static final Fields MATERIALISED = new Fields("text", "label", "group", "id");

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("text", text);
    json.addProperty("label", label);
    json.addProperty("group", group);
    json.addProperty("id", id);
    return json;
  }

  static Fields fromJson(JsonObject json) {
    return new Fields(json.get("text").getAsString(), json.get("label").getAsString(), json.get("group").getAsString(),
        json.get("id").getAsString());
  }
}
