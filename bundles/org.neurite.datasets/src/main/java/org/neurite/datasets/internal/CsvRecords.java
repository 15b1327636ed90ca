package org.neurite.datasets.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;

/**
 * CSV as RFC 4180 writes it: a header row naming the columns, fields separated by a delimiter,
 * double-quoted fields that may hold delimiters, newlines and doubled quotes.
 */
final class CsvRecords implements RecordReader {
  private final Path file;
  private final Fields fields;
  private final char delimiter;
  private List<String> header;
  private final ExampleMapper mapper;
  private final RecordFilter filter;
  private long line;

  CsvRecords(Path file, Fields fields, char delimiter, RecordFilter filter) {
    this.file = file;
    this.fields = fields;
    this.delimiter = delimiter;
    this.mapper = new ExampleMapper(file, fields);
    this.filter = filter;
  }

  @Override
  public Example next(BufferedReader in) throws IOException {
    while (true) {
      CsvRecord record = nextRecord(in);
      if (record == null) {
        return null;
      }
      if (filter.test(record)) {
        return mapper.map(record);
      }
    }
  }

  private CsvRecord nextRecord(BufferedReader in) throws IOException {
    if (header == null) {
      header = readRecord(in);
      if (header == null) {
        throw new NeuriteException(file + " is empty; a CSV dataset needs a header row naming its columns.");
      }
      checkColumns();
    }
    long startLine = line + 1;
    List<String> record;
    do {
      record = readRecord(in);
      if (record == null) {
        return null;
      }
    } while (record.size() == 1 && record.get(0).isEmpty());
    if (record.size() != header.size()) {
      throw new NeuriteException(file + ":" + startLine + ": " + record.size() + " fields, but the header has "
          + header.size() + " (" + header + "). Quote fields that contain '" + delimiter + "'.");
    }
    Map<String, JsonElement> values = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      values.put(header.get(i), new JsonPrimitive(record.get(i)));
    }
    return new CsvRecord(startLine, values);
  }

  /** Every column the step names must be in the header: one message at line 1, not one per record. */
  private void checkColumns() {
    boolean textNeeded = !fields.hasCompletion() && fields.ids().isEmpty();
    List<String> named = new ArrayList<>();
    if (textNeeded || header.contains(fields.text())) {
      named.add(fields.text());
    }
    named.addAll(List.of(fields.label(), fields.group(), fields.id(), fields.prompt(), fields.response(), fields.answer(),
        fields.corrupted(), fields.target(), fields.corruptedTarget(), fields.ids()));
    named.addAll(fields.labels());
    named.addAll(fields.choices());
    named.addAll(filter.fieldNames());
    for (String name : named) {
      if (!name.isEmpty() && !header.contains(name)) {
        throw new NeuriteException(file + ":1: no column \"" + name + "\" in the header " + header
            + ". Set the step's parameter to one of those columns" + (name.equals(fields.text()) ? "." : ", or \"\" for none."));
      }
    }
  }

  /** A CSV row as a record: every value a string. */
  private record CsvRecord(long line, Map<String, JsonElement> values) implements SourceRecord {
    @Override
    public JsonElement get(String field) {
      return values.get(field);
    }

    @Override
    public Set<String> fields() {
      return values.keySet();
    }
  }

  /** One record, which may span lines inside quotes; null at the end of the file. */
  private List<String> readRecord(BufferedReader in) throws IOException {
    String first = in.readLine();
    if (first == null) {
      return null;
    }
    line++;
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    String text = first;
    long quoteStart = line;
    int i = 0;
    while (true) {
      if (i == text.length()) {
        if (!quoted) {
          break;
        }
        String more = in.readLine();
        if (more == null) {
          throw new NeuriteException(file + ":" + quoteStart + ": a quoted field is never closed; add the closing \"");
        }
        line++;
        field.append('\n');
        text = more;
        i = 0;
        continue;
      }
      char c = text.charAt(i++);
      if (quoted) {
        if (c == '"' && i < text.length() && text.charAt(i) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        quoteStart = line;
      } else if (c == delimiter) {
        record.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    record.add(field.toString());
    return record;
  }
}
