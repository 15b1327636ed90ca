package org.neurite.datasets.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;

/** JSON Lines: one JSON object per line; blank lines are skipped. */
final class JsonlRecords implements RecordReader {
  private final Path file;
  private final Fields fields;
  private long line;

  JsonlRecords(Path file, Fields fields) {
    this.file = file;
    this.fields = fields;
  }

  @Override
  public Example next(BufferedReader in) throws IOException {
    String text;
    do {
      text = in.readLine();
      line++;
      if (text == null) {
        return null;
      }
    } while (text.isBlank());
    JsonObject object;
    try {
      JsonElement element = JsonParser.parseString(text);
      if (!element.isJsonObject()) {
        throw new NeuriteException(file + ":" + line + ": expected a JSON object on each line, found " + text.strip());
      }
      object = element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new NeuriteException(file + ":" + line + ": not valid JSON (" + rootMessage(e) + "). Each line must be one"
          + " JSON object, e.g. {\"" + fields.text() + "\": \"...\"}.");
    }
    return new Example(line, field(object, fields.id(), Long.toString(line)), required(object), field(object, fields.label(), null),
        field(object, fields.group(), null));
  }

  private String required(JsonObject object) {
    JsonElement value = object.get(fields.text());
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new NeuriteException(file + ":" + line + ": the text field \"" + fields.text() + "\" is "
          + (value == null ? "missing" : "not a string") + "; its keys are " + object.keySet()
          + ". Set the step's text parameter to the field that holds the text.");
    }
    return value.getAsString();
  }

  private String field(JsonObject object, String name, String absent) {
    if (name.isEmpty()) {
      return absent;
    }
    JsonElement value = object.get(name);
    if (value == null || value.isJsonNull()) {
      throw new NeuriteException(file + ":" + line + ": the field \"" + name + "\" is missing; its keys are "
          + object.keySet() + ". Fix the line, or set the step's parameter to another field (\"\" for none).");
    }
    if (!value.isJsonPrimitive()) {
      throw new NeuriteException(file + ":" + line + ": the field \"" + name + "\" must be a string, number or boolean");
    }
    return value.getAsString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
