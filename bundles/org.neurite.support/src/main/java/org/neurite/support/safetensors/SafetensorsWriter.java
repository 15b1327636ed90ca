package org.neurite.support.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.model.TensorDtype;

/**
 * Writes a safetensors file that Hugging Face {@code safetensors}, PyTorch and numpy can open:
 * tensors are added by name, then {@link #write} lays out the header (padded to 8 bytes) and the
 * data in the order they were added.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .metadata("format", "pt")
 *     .add("logits", new long[] {1, 5, 50257}, logitsArray)
 *     .write(file);
 * }</pre>
 */
public final class SafetensorsWriter {
  private record Pending(TensorDtype dtype, long[] shape, ByteBuffer data) {}

  private final Map<String, Pending> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a string to the header's {@code __metadata__}. */
  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /**
   * Adds a tensor from raw little-endian bytes (from the buffer's position to its limit).
   *
   * @throws IllegalArgumentException if the name is taken or the byte count does not match
   */
  public SafetensorsWriter add(String name, TensorDtype dtype, long[] shape, ByteBuffer data) {
    long elements = 1;
    for (long d : shape) {
      elements = Math.multiplyExact(elements, d);
    }
    if (data.remaining() != elements * dtype.bytes()) {
      throw new IllegalArgumentException("tensor " + name + ": " + dtype + " " + java.util.Arrays.toString(shape)
          + " needs " + elements * dtype.bytes() + " bytes, got " + data.remaining());
    }
    if (name.equals("__metadata__") || tensors.putIfAbsent(name, new Pending(dtype, shape.clone(), data.slice()
        .order(ByteOrder.LITTLE_ENDIAN))) != null) {
      throw new IllegalArgumentException("tensor name " + name + " is taken");
    }
    return this;
  }

  /** Adds an F32 tensor. */
  public SafetensorsWriter add(String name, long[] shape, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return add(name, TensorDtype.F32, shape, bytes);
  }

  /** Adds an F64 tensor. */
  public SafetensorsWriter add(String name, long[] shape, double[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asDoubleBuffer().put(values);
    return add(name, TensorDtype.F64, shape, bytes);
  }

  /** Adds an I64 tensor. */
  public SafetensorsWriter add(String name, long[] shape, long[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    return add(name, TensorDtype.I64, shape, bytes);
  }

  /** How many tensors have been added. */
  public int size() {
    return tensors.size();
  }

  /** Writes the file, replacing any file at that path. */
  public void write(Path file) throws IOException {
    JsonObject header = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Map.Entry<String, Pending> e : tensors.entrySet()) {
      Pending t = e.getValue();
      JsonObject entry = new JsonObject();
      entry.addProperty("dtype", t.dtype().name());
      JsonArray shape = new JsonArray();
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += t.data().remaining();
      offsets.add(offset);
      entry.add("data_offsets", offsets);
      header.add(e.getKey(), entry);
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    try (OutputStream out = Files.newOutputStream(file); WritableByteChannel channel = Channels.newChannel(out)) {
      writeFully(channel, head);
      for (Pending t : tensors.values()) {
        writeFully(channel, t.data().duplicate());
      }
    }
  }

  private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
