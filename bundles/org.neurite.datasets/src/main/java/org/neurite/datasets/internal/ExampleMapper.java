package org.neurite.datasets.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;

/**
 * Turns a record of a JSON Lines or CSV file into an {@link Example}, by the fields the dataset
 * step names. Every problem is one message naming the file, the line, the field and the fix.
 */
final class ExampleMapper {
  private final Path file;
  private final Fields fields;

  ExampleMapper(Path file, Fields fields) {
    this.file = file;
    this.fields = fields;
  }

  Example map(SourceRecord record) {
    String id = optional(record, fields.id(), "id");
    long[] ids = fields.ids().isEmpty() ? null : ids(record);
    Example.Completion completion = null;
    String text;
    if (fields.hasCompletion()) {
      completion = new Example.Completion(required(record, fields.prompt(), "prompt"),
          required(record, fields.response(), "response"));
      text = completion.prompt() + completion.response();
    } else if (ids != null && (fields.text().isEmpty() || record.get(fields.text()) == null)) {
      text = null;
    } else {
      text = text(record);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String name : fields.labels()) {
      labels.put(name, required(record, name, "labels"));
    }
    Example.Choices choices = fields.choices().isEmpty() ? null : choices(record);
    Example.Contrast contrast = fields.corrupted().isEmpty()
        ? (fields.target().isEmpty() ? null : new Example.Contrast(null, required(record, fields.target(), "target"),
            null))
        : new Example.Contrast(required(record, fields.corrupted(), "corrupted"),
            optional(record, fields.target(), "target"), optional(record, fields.corruptedTarget(), "corrupted_target"));
    return new Example(record.line(), id == null ? Long.toString(record.line()) : id, text,
        optional(record, fields.label(), "label"), optional(record, fields.group(), "group"), labels, completion, choices,
        contrast, ids);
  }

  private String text(SourceRecord record) {
    JsonElement value = record.get(fields.text());
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new NeuriteException(where(record) + ": the text field \"" + fields.text() + "\" is "
          + (value == null ? "missing" : "not a string") + "; its keys are " + record.fields()
          + ". Set the step's text parameter to the field that holds the text.");
    }
    return value.getAsString();
  }

  private String required(SourceRecord record, String name, String parameter) {
    String value = optional(record, name, parameter);
    if (value == null) {
      throw new IllegalStateException("required field " + name + " without a name");
    }
    return value;
  }

  /** A scalar field as text; null when the step names no such field. */
  private String optional(SourceRecord record, String name, String parameter) {
    if (name.isEmpty()) {
      return null;
    }
    JsonElement value = record.get(name);
    if (value == null) {
      throw missing(record, name, parameter);
    }
    if (!value.isJsonPrimitive()) {
      throw new NeuriteException(where(record) + ": the field \"" + name + "\" must be a string, number or boolean");
    }
    return value.getAsString();
  }

  private Example.Choices choices(SourceRecord record) {
    List<String> options = new ArrayList<>();
    if (fields.choices().size() == 1) {
      JsonArray array = list(record, fields.choices().get(0), "choices");
      array.forEach(e -> options.add(e.isJsonPrimitive() ? e.getAsString() : e.toString()));
    } else {
      fields.choices().forEach(name -> options.add(required(record, name, "choices")));
    }
    if (options.size() < 2) {
      throw new NeuriteException(where(record) + ": a multiple-choice question needs at least 2 choices, found "
          + options.size() + " in " + fields.choices() + ".");
    }
    if (fields.answer().isEmpty()) {
      throw new NeuriteException("The dataset step names choices " + fields.choices() + " but no answer field; set its"
          + " answer parameter to the field holding the right choice (an index, a letter, or the choice's text).");
    }
    String answer = required(record, fields.answer(), "answer").strip();
    return new Example.Choices(options, answerIndex(record, answer, options));
  }

  private int answerIndex(SourceRecord record, String answer, List<String> options) {
    int index;
    if (answer.matches("-?\\d+")) {
      index = answer.length() > 9 ? -1 : Integer.parseInt(answer); // more digits: out of range below
    } else if (answer.length() == 1 && Character.isLetter(answer.charAt(0))) {
      index = answer.toUpperCase(Locale.ROOT).charAt(0) - 'A';
    } else {
      index = options.indexOf(answer);
      if (index < 0) {
        throw new NeuriteException(where(record) + ": the answer \"" + answer + "\" is none of the choices " + options
            + "; give its index (0-" + (options.size() - 1) + "), its letter (A-" + (char) ('A' + options.size() - 1)
            + ") or its exact text.");
      }
    }
    if (index < 0 || index >= options.size()) {
      throw new NeuriteException(where(record) + ": the answer " + answer + " is out of range for " + options.size()
          + " choices; give an index 0-" + (options.size() - 1) + " or a letter A-" + (char) ('A' + options.size() - 1)
          + ".");
    }
    return index;
  }

  private long[] ids(SourceRecord record) {
    JsonArray array = list(record, fields.ids(), "ids");
    long[] ids = new long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonElement e = array.get(i);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
          || e.getAsDouble() < 0) {
        throw new NeuriteException(where(record) + ": the ids field \"" + fields.ids() + "\" must hold token ids"
            + " (integers >= 0); element " + i + " is " + e + ".");
      }
      // the range before converting: Gson would wrap 1e30, and throw on 1e20000
      if (e.getAsDouble() > Integer.MAX_VALUE) {
        throw new NeuriteException(where(record) + ": the ids field \"" + fields.ids() + "\" must hold token ids;"
            + " element " + i + " is " + e + ", beyond any vocabulary (at most 2147483647).");
      }
      ids[i] = (long) e.getAsDouble();
    }
    if (ids.length == 0) {
      throw new NeuriteException(where(record) + ": the ids field \"" + fields.ids() + "\" is empty; give at least one"
          + " token id.");
    }
    return ids;
  }

  /** A list field: a JSON array, or (CSV) text holding one, or integers separated by spaces or commas. */
  private JsonArray list(SourceRecord record, String name, String parameter) {
    JsonElement value = record.get(name);
    if (value == null) {
      throw missing(record, name, parameter);
    }
    if (value.isJsonArray()) {
      return value.getAsJsonArray();
    }
    if (!value.isJsonPrimitive()) {
      throw new NeuriteException(where(record) + ": the field \"" + name + "\" must be a list (a JSON array); found "
          + value + ".");
    }
    String text = value.getAsString().strip();
    if (text.startsWith("[")) {
      try {
        JsonElement parsed = JsonParser.parseString(text);
        if (parsed.isJsonArray()) {
          return parsed.getAsJsonArray();
        }
      } catch (JsonParseException e) {
        throw new NeuriteException(where(record) + ": the field \"" + name + "\" looks like a JSON list but is not"
            + " valid JSON (" + e.getMessage() + ").");
      }
    }
    JsonArray array = new JsonArray();
    if (parameter.equals("ids")) {
      for (String part : text.split("[,\\s]+")) {
        if (!part.isEmpty()) {
          try {
            array.add(Long.parseLong(part));
          } catch (NumberFormatException e) {
            throw new NeuriteException(where(record) + ": the ids field \"" + name + "\" must hold token ids; \""
                + part + "\" is not an integer.");
          }
        }
      }
      return array;
    }
    throw new NeuriteException(where(record) + ": the field \"" + name + "\" must be a list (a JSON array); found "
        + value + ". Or name one field per choice in the step's choices parameter.");
  }

  private NeuriteException missing(SourceRecord record, String name, String parameter) {
    return new NeuriteException(where(record) + ": the field \"" + name + "\" is missing; its keys are "
        + record.fields() + ". Fix the line, or set the step's " + parameter + " parameter to another field"
        + (parameter.equals("labels") ? "." : " (\"\" for none)."));
  }

  private String where(SourceRecord record) {
    return file + ":" + record.line();
  }
}
