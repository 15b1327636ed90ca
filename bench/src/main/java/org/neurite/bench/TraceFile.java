package org.neurite.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one F32 tensor of a safetensors file that {@code trace} wrote. */
final class TraceFile {
  private TraceFile() {}

  static float[] floats(Path file, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, length, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"" + Pattern.quote(name)
        + "\":\\{\"dtype\":\"F32\",\"shape\":\\[[0-9,]*\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}").matcher(header);
    if (!m.find()) {
      throw new IllegalStateException(file + " has no F32 tensor " + name + ": " + header);
    }
    int start = 8 + length + Integer.parseInt(m.group(1));
    int end = 8 + length + Integer.parseInt(m.group(2));
    float[] values = new float[(end - start) / 4];
    ByteBuffer.wrap(bytes, start, end - start).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
