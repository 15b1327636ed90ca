package org.neurite.support.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;

/**
 * A safetensors file, opened for reading: its header is parsed and checked completely when it is
 * opened, and each tensor's bytes are memory-mapped on request, so a file larger than the heap
 * reads the same as a small one.
 *
 * <p>The format: 8 bytes (little-endian unsigned length N), N bytes of JSON header mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional
 * {@code "__metadata__"} object of strings), then the data section. Every problem found is one
 * {@link NeuriteException} naming the file, and the tensor where there is one.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Headers above this size are refused as corrupt (real ones are kilobytes to a few megabytes). */
  private static final long MAX_HEADER = 100L << 20;

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorEntry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorEntry> entries,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Opens and checks a file.
   *
   * @throws NeuriteException if it is missing, truncated, or not a valid safetensors file
   */
  public static SafetensorsFile open(Path path) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NeuriteException("The safetensors file " + path + " does not exist.");
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the safetensors file " + path + ": " + e.getMessage(), e);
    }
    try {
      return read(path, channel);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new NeuriteException("Cannot read the safetensors file " + path + ": " + e.getMessage(), e);
    }
  }

  private static SafetensorsFile read(Path path, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw corrupt(path, "it has " + size + " bytes, fewer than the 8 that give the header's length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0);
    long headerLength = lengthBytes.flip().getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
      throw corrupt(path, "its first 8 bytes give a header of " + Long.toUnsignedString(headerLength)
          + " bytes, but the file has " + size + " bytes in all");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBytes, 8);
    JsonObject header;
    try {
      JsonElement parsed = JsonParser.parseString(new String(headerBytes.array(), StandardCharsets.UTF_8));
      if (!parsed.isJsonObject()) {
        throw corrupt(path, "its header is not a JSON object");
      }
      header = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw corrupt(path, "its header is not valid JSON (" + e.getMessage() + ")");
    }
    long dataStart = 8 + headerLength;
    long dataSize = size - dataStart;
    Map<String, TensorEntry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        if (e.getValue().isJsonObject()) {
          e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(),
              m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString()));
        }
        continue;
      }
      TensorEntry entry = entry(path, e.getKey(), e.getValue());
      if (entry.end() > dataSize) {
        throw new NeuriteException("The safetensors file " + path + " is truncated: tensor '" + entry.name()
            + "' ends at byte " + entry.end() + " of the data section, which has only " + dataSize
            + " bytes. Copy or convert the file again.");
      }
      entries.put(entry.name(), entry);
    }
    return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(entries),
        Collections.unmodifiableMap(metadata));
  }

  private static TensorEntry entry(Path path, String name, JsonElement value) {
    try {
      JsonObject o = value.getAsJsonObject();
      String dtypeName = o.get("dtype").getAsString();
      TensorDtype dtype = TensorDtype.parse(dtypeName).orElseThrow(() -> new NeuriteException(
          "The safetensors file " + path + " stores tensor '" + name + "' as " + dtypeName
              + ", a type Neurite does not read (it reads F64, F32, F16, BF16 and integer types)."));
      var shapeJson = o.getAsJsonArray("shape");
      long[] shape = new long[shapeJson.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeJson.get(i).getAsLong();
        if (shape[i] < 0) {
          throw corrupt(path, "tensor '" + name + "' has a negative dimension");
        }
      }
      var offsets = o.getAsJsonArray("data_offsets");
      long begin = offsets.get(0).getAsLong();
      long end = offsets.get(1).getAsLong();
      TensorEntry entry = new TensorEntry(name, dtype, shape, begin, end);
      long expected = Math.multiplyExact(entry.elements(), dtype.bytes());
      if (begin < 0 || end < begin || end - begin != expected) {
        throw corrupt(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] ("
            + (end - begin) + " bytes), but " + dtype + " " + entry.shapeText() + " needs " + expected + " bytes");
      }
      return entry;
    } catch (NeuriteException e) {
      throw e;
    } catch (RuntimeException e) {
      throw corrupt(path, "the header entry of tensor '" + name + "' is malformed (" + e + "); it needs"
          + " dtype, shape and data_offsets");
    }
  }

  private static NeuriteException corrupt(Path path, String what) {
    return new NeuriteException("The file " + path + " is not a valid safetensors file: " + what
        + ". Copy or convert it again.");
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to recover: the open failed already
    }
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** Every tensor, in header order. */
  public Map<String, TensorEntry> entries() {
    return entries;
  }

  /** One tensor, if the file has it. */
  public Optional<TensorEntry> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** The header's {@code __metadata__} strings (empty if it has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * The tensor's bytes, memory-mapped read-only, in little-endian order: nothing is copied
   * through the heap. The mapping stays valid after this file is closed.
   *
   * @throws NeuriteException if the file has no such tensor
   */
  public ByteBuffer map(String name) {
    TensorEntry entry = entries.get(name);
    if (entry == null) {
      throw new NeuriteException("The safetensors file " + path + " has no tensor '" + name + "'.");
    }
    long length = entry.end() - entry.begin();
    if (length == 0) {
      return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (length > Integer.MAX_VALUE) {
      throw new NeuriteException("Tensor '" + name + "' in " + path + " has " + length + " bytes; Neurite maps"
          + " tensors of up to 2 GiB each. Re-shard the checkpoint into smaller tensors.");
    }
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new NeuriteException("Cannot map tensor '" + name + "' of " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }
}
