package org.neurite.datasets.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;

/**
 * A dataset backed by one file, read again from disk on every {@link #examples()} call, so memory
 * does not grow with its size. Its persisted form holds the file's SHA-256: restoring it checks
 * that the file has not changed.
 */
final class FileDataset implements Dataset {
  private final String name;
  private final String format;
  private final Path path;
  private final String contentHash;
  private final JsonObject options;

  FileDataset(String name, String format, Path path, String contentHash, JsonObject options) {
    this.name = name;
    this.format = format;
    this.path = path;
    this.contentHash = contentHash;
    this.options = options.deepCopy();
  }

  static FileDataset fromPersistedForm(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    return new FileDataset(o.get("name").getAsString(), o.get("format").getAsString(), Path.of(o.get("path").getAsString()),
        o.get("sha256").getAsString(), o.getAsJsonObject("options"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public String contentHash() {
    return contentHash;
  }

  @Override
  public boolean chat() {
    return options.has("chat") && options.get("chat").getAsBoolean();
  }

  JsonObject options() {
    return options.deepCopy();
  }

  /** The same dataset read from another path (a stored copy of its file). */
  FileDataset at(Path file) {
    return new FileDataset(name, format, file, contentHash, options);
  }

  /** The form {@link DatasetCodec} records: name, format, path, SHA-256 and the reading options. */
  String persistedForm() {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("format", format);
    o.addProperty("path", path.toString());
    o.addProperty("sha256", contentHash);
    o.add("options", options.deepCopy());
    return o.toString();
  }

  @Override
  public Stream<Example> examples() {
    return examples(bytes -> { });
  }

  /** The examples, telling {@code bytesRead} how many more bytes of the file were read (for progress). */
  Stream<Example> examples(LongConsumer bytesRead) {
    RecordReader records = records();
    BufferedReader in;
    try {
      InputStream counted = new FilterInputStream(Files.newInputStream(path)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            bytesRead.accept(1);
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          if (n > 0) {
            bytesRead.accept(n);
          }
          return n;
        }
      };
      in = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()));
    } catch (IOException e) {
      throw new NeuriteException("Cannot open dataset " + path + ": " + e.getMessage(), e);
    }
    Spliterator<Example> spliterator = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
      @Override
      public boolean tryAdvance(Consumer<? super Example> action) {
        try {
          Example example = records.next(in);
          if (example == null) {
            return false;
          }
          action.accept(example);
          return true;
        } catch (CharacterCodingException e) {
          throw new NeuriteException(path + " is not UTF-8 text; convert it to UTF-8.");
        } catch (IOException e) {
          throw new UncheckedIOException("reading " + path, e);
        }
      }
    };
    return StreamSupport.stream(spliterator, false).onClose(() -> {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private RecordReader records() {
    Fields fields = Fields.fromJson(options.getAsJsonObject("fields"));
    return switch (format) {
      case "jsonl" -> new JsonlRecords(path, fields, RecordFilter.of(options));
      case "csv" -> new CsvRecords(path, fields, options.get("delimiter").getAsString().charAt(0),
          RecordFilter.of(options));
      case "text" -> new TextRecords(fields.label(), fields.group());
      default -> throw new IllegalStateException("unknown dataset format " + format);
    };
  }
}
