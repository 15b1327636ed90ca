package org.neurite.datasets.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.api.NeuriteException;

/**
 * The {@code where} parameter of the record formats: which records of the file are examples. Each
 * condition is {@code field=value} or {@code field=value1|value2}; a record is kept when every
 * condition's field holds one of its values (compared as text, so a JSON {@code true} matches
 * {@code true} and {@code 3} matches {@code 3}). A record without the field is passed over. No
 * conditions keep every record.
 */
record RecordFilter(Map<String, Set<String>> conditions) {
  static final RecordFilter ALL = new RecordFilter(Map.of());

  RecordFilter {
    conditions = Map.copyOf(conditions);
  }

  /** Parses the parameter's entries; {@code where} names the step, for messages. */
  static RecordFilter parse(List<String> entries, String where) {
    Map<String, Set<String>> conditions = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new NeuriteException(where + ": the where condition \"" + entry + "\" is not field=value; write e.g."
            + " \"split=eval\" or \"lang=velan|korit\".");
      }
      String field = entry.substring(0, eq).strip();
      Set<String> values = new LinkedHashSet<>(List.of(entry.substring(eq + 1).split("\\|", -1)));
      if (values.contains("")) {
        throw new NeuriteException(where + ": the where condition \"" + entry + "\" has an empty value; separate"
            + " values with | and leave none empty.");
      }
      if (conditions.putIfAbsent(field, values) != null) {
        throw new NeuriteException(where + ": the where conditions name field \"" + field + "\" twice; give its values"
            + " once, separated by | (e.g. \"" + field + "=a|b\").");
      }
    }
    return new RecordFilter(conditions);
  }

  boolean keepsAll() {
    return conditions.isEmpty();
  }

  Set<String> fieldNames() {
    return conditions.keySet();
  }

  boolean test(SourceRecord record) {
    for (Map.Entry<String, Set<String>> condition : conditions.entrySet()) {
      JsonElement value = record.get(condition.getKey());
      if (value == null || !value.isJsonPrimitive() || !condition.getValue().contains(value.getAsString())) {
        return false;
      }
    }
    return true;
  }

  /** The entries as the parameter gave them, in order. */
  List<String> entries() {
    List<String> out = new ArrayList<>();
    conditions.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(c -> out.add(c.getKey() + "=" + String.join("|", c.getValue())));
    return out;
  }

  JsonArray toJson() {
    JsonArray array = new JsonArray();
    entries().forEach(array::add);
    return array;
  }

  /** The filter a dataset's options hold; options recorded before filters existed keep every record. */
  static RecordFilter of(JsonObject options) {
    JsonElement where = options.get("where");
    if (where == null || !where.isJsonArray()) {
      return ALL;
    }
    List<String> entries = new ArrayList<>();
    where.getAsJsonArray().forEach(e -> entries.add(e.getAsString()));
    return parse(entries, "dataset options");
  }
}
