package org.neurite.datasets.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;

/** JSON Lines: one JSON object per line; blank lines are skipped. */
final class JsonlRecords implements RecordReader {
  private final Path file;
  private final Fields fields;
  private final ExampleMapper mapper;
  private final RecordFilter filter;
  private final Lines lines = new Lines();

  JsonlRecords(Path file, Fields fields, RecordFilter filter) {
    this.file = file;
    this.fields = fields;
    this.mapper = new ExampleMapper(file, fields);
    this.filter = filter;
  }

  @Override
  public Example next(BufferedReader in) throws IOException {
    while (true) {
      JsonRecord record = nextRecord(in);
      if (record == null) {
        return null;
      }
      if (filter.test(record)) {
        return mapper.map(record);
      }
    }
  }

  private JsonRecord nextRecord(BufferedReader in) throws IOException {
    String text = lines.nextNonBlank(in);
    if (text == null) {
      return null;
    }
    long line = lines.number();
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
    return new JsonRecord(line, object);
  }

  /** A JSON object as a record. */
  private record JsonRecord(long line, JsonObject object) implements SourceRecord {
    @Override
    public JsonElement get(String field) {
      JsonElement value = object.get(field);
      return value == null || value.isJsonNull() ? null : value;
    }

    @Override
    public Set<String> fields() {
      return object.keySet();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
