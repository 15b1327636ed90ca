package org.neurite.datasets.internal;

import com.google.gson.JsonElement;
import java.util.Set;

/**
 * One record of a dataset file before it becomes an example: its fields by name. A JSON Lines
 * record keeps its JSON values; a CSV record's values are strings.
 */
interface SourceRecord {
  /** The line the record starts on (1-based). */
  long line();

  /** A field's value, or null if the record has no such field (or it is JSON null). */
  JsonElement get(String field);

  /** Every field name, for messages. */
  Set<String> fields();
}
