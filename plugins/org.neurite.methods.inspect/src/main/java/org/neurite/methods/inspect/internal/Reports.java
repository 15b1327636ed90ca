package org.neurite.methods.inspect.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neurite.api.context.StepContext;

/** The files these steps write: JSON reports and CSV tables, as artifacts of the step. */
final class Reports {
  private Reports() {}

  /** A row writer for a CSV table. */
  @FunctionalInterface
  interface Rows {
    void write(BufferedWriter out) throws Exception;
  }

  static Path json(StepContext context, String fileName, JsonObject json) throws Exception {
    return context.artifacts().write(fileName, "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json) + "\n",
        StandardCharsets.UTF_8));
  }

  /** A CSV table with a header line; {@code rows} writes the lines (use {@link #line}). */
  static Path csv(StepContext context, String fileName, List<String> header, Rows rows) throws Exception {
    return context.artifacts().write(fileName, "table", temporary -> {
      try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        out.write(String.join(",", header));
        out.write('\n');
        rows.write(out);
      }
    });
  }

  /** One CSV line: numbers as they are, text quoted when it holds a comma, a quote or a line break. */
  static void line(BufferedWriter out, Object... cells) throws java.io.IOException {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(cell(cells[i]));
    }
    out.write('\n');
  }

  static String cell(Object value) {
    String text = String.valueOf(value);
    if (value instanceof String && (text.contains(",") || text.contains("\"") || text.contains("\n")
        || text.contains("\r") || !text.equals(text.strip()))) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
