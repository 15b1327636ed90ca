package org.neurite.support.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;

class SafetensorsTest {
  @TempDir
  Path dir;

  @Test
  void roundTripKeepsNamesShapesTypesValuesAndMetadata() throws Exception {
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter().metadata("format", "pt")
        .add("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
        .add("b", new long[] {2}, new double[] {-1.5, 2.25})
        .add("ids", new long[] {1, 3}, new long[] {7, 8, 9})
        .add("empty", new long[] {0, 4}, new float[0])
        .write(file);
    assertEquals(0, headerLength(file) % 8, "the header is padded to 8 bytes");
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertEquals(java.util.List.of("a", "b", "ids", "empty"), java.util.List.copyOf(read.entries().keySet()));
      assertEquals("pt", read.metadata().get("format"));
      TensorEntry a = read.entry("a").orElseThrow();
      assertEquals(TensorDtype.F32, a.dtype());
      assertArrayEquals(new long[] {2, 3}, a.shape());
      float[] values = new float[6];
      read.map("a").asFloatBuffer().get(values);
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values);
      assertEquals(2.25, read.map("b").getDouble(8));
      assertEquals(9, read.map("ids").getLong(16));
      assertEquals(0, read.map("empty").remaining());
      assertTrue(read.map("a").isReadOnly());
    }
  }

  @Test
  void truncatedFileNamesTheTensorThatIsCut() throws Exception {
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter().add("w", new long[] {100}, new float[100]).write(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
    NeuriteException e = assertThrows(NeuriteException.class, () -> SafetensorsFile.open(file));
    assertTrue(e.getMessage().contains("is truncated: tensor 'w' ends at byte 400"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void headerLengthBeyondTheFileIsRefused() throws Exception {
    Path file = dir.resolve("bad.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000).putLong(0);
    Files.write(file, b.array());
    NeuriteException e = assertThrows(NeuriteException.class, () -> SafetensorsFile.open(file));
    assertTrue(e.getMessage().contains("not a valid safetensors file: its first 8 bytes give a header of 1000000"),
        e.getMessage());
  }

  @Test
  void offsetsThatDisagreeWithTheShapeAreRefused() throws Exception {
    Path file = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,12]}}", 16);
    NeuriteException e = assertThrows(NeuriteException.class, () -> SafetensorsFile.open(file));
    assertTrue(e.getMessage().contains("tensor 'w' has data_offsets [0, 12] (12 bytes), but F32 [4] needs 16 bytes"),
        e.getMessage());
  }

  @Test
  void unknownTypeAndMalformedEntryAndBadJsonAreNamed() throws Exception {
    Path quantized = write("{\"w\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,2]}}", 2);
    assertTrue(assertThrows(NeuriteException.class, () -> SafetensorsFile.open(quantized)).getMessage()
        .contains("stores tensor 'w' as Q4"));
    Path malformed = write("{\"w\":{\"dtype\":\"F32\"}}", 0);
    assertTrue(assertThrows(NeuriteException.class, () -> SafetensorsFile.open(malformed)).getMessage()
        .contains("the header entry of tensor 'w' is malformed"));
    Path notJson = write("{\"w\": [", 0);
    assertTrue(assertThrows(NeuriteException.class, () -> SafetensorsFile.open(notJson)).getMessage()
        .contains("its header is not valid JSON"));
    NeuriteException missing = assertThrows(NeuriteException.class,
        () -> SafetensorsFile.open(dir.resolve("nope.safetensors")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }

  @Test
  void writerRefusesDuplicateNamesAndWrongByteCounts() {
    SafetensorsWriter writer = new SafetensorsWriter().add("a", new long[] {1}, new float[] {1});
    assertThrows(IllegalArgumentException.class, () -> writer.add("a", new long[] {1}, new float[] {2}));
    assertThrows(IllegalArgumentException.class,
        () -> writer.add("b", TensorDtype.F32, new long[] {2}, ByteBuffer.allocate(4)));
  }

  private Path write(String header, int dataBytes) throws Exception {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json);
    Path file = Files.createTempFile(dir, "h", ".safetensors");
    Files.write(file, b.array());
    return file;
  }

  private static long headerLength(Path file) throws Exception {
    return ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
