package org.neurite.datasets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.neurite.api.data.Example;
import org.neurite.testkit.FuzzBounds;

/**
 * Reads fuzzed bytes as a dataset file through {@link FileDataset}, once for each way a dataset
 * step can name its fields: every example is read, or one message names the file.
 */
final class DatasetFuzzing {
  /** The field mappings a step can ask for, from plain text to every method field at once. */
  static final List<Fields> MAPPINGS = List.of(
      new Fields("text", "label", "group", "id"),
      new Fields("text", "", "", "", List.of("lang", "split"), "", "", List.of("choices"), "answer", "", "", "", ""),
      new Fields("", "", "", "", List.of(), "prompt", "response", List.of("a", "b", "c"), "answer", "", "", "", ""),
      new Fields("text", "", "", "", List.of(), "", "", List.of(), "", "corrupted", "target", "corrupted_target", ""),
      new Fields("", "", "", "", List.of(), "", "", List.of(), "", "", "", "", "ids"),
      new Fields("prompt", "", "relation", "id", List.of("fact"), "", "", List.of(), "", "", "answer", "", ""),
      Fields.MATERIALISED);

  /** Every mapping is read as a whole and through a where filter (present, absent, non-text and boolean fields). */
  static final List<RecordFilter> FILTERS = List.of(RecordFilter.ALL,
      RecordFilter.parse(List.of("split=eval", "harmful=true|1"), "fuzz"));

  private static Path dir;

  private DatasetFuzzing() {}

  /** Reads {@code input} as a file of {@code format} with every mapping (CSV: with {@code delimiter}). */
  static void readAll(String format, String delimiter, byte[] input, List<Fields> mappings) throws IOException {
    Path file = dir().resolve("data." + format);
    Files.write(file, input);
    for (Fields fields : mappings) {
      for (RecordFilter filter : FILTERS) {
        read(format, delimiter, input, file, fields, filter);
      }
    }
  }

  private static void read(String format, String delimiter, byte[] input, Path file, Fields fields,
      RecordFilter filter) {
    var options = FileDatasetStep.fieldsOption(fields);
    if (delimiter != null) {
      options.addProperty("delimiter", delimiter);
    }
    if (!filter.keepsAll()) {
      options.add("where", filter.toJson());
    }
    FileDataset dataset = new FileDataset("fuzz", format, file, "0".repeat(64), options);
    FuzzBounds.check(input.length, 256, 16 << 20, file.toString(), () -> {
      try (Stream<Example> examples = dataset.examples()) {
        examples.forEach(example -> {
          if (example.id() == null || example.line() < 1) {
            throw new AssertionError("an example without id or line: " + example);
          }
        });
      }
    });
  }

  private static synchronized Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("fuzz-datasets");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }
}
