package org.neurite.analysis.internal.codecs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.neurite.api.context.StoredFile;

/** The persisted form of a value kept in one file: the file's path and hash, a name and a count to show. */
final class StoredForms {
  private StoredForms() {}

  static String form(StoredFile file, String name, String countName, int count) {
    JsonObject json = new JsonObject();
    json.addProperty("path", file.path());
    json.addProperty("sha256", file.sha256());
    json.addProperty("name", name);
    json.addProperty(countName, count);
    return json.toString();
  }

  static StoredFile file(String form) {
    JsonObject json = JsonParser.parseString(form).getAsJsonObject();
    return new StoredFile(json.get("path").getAsString(), json.get("sha256").getAsString());
  }
}
