package org.neurite.models.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {
  /** Builds protobuf bytes by hand, the way the tests need them. */
  static final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Wire varint(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Wire tag(int field, int wireType) {
      return varint(((long) field << 3) | wireType);
    }

    Wire varintField(int field, long value) {
      return tag(field, ProtoReader.VARINT).varint(value);
    }

    Wire bytesField(int field, byte[] bytes) {
      tag(field, ProtoReader.LENGTH_DELIMITED).varint(bytes.length);
      out.writeBytes(bytes);
      return this;
    }

    Wire stringField(int field, String text) {
      return bytesField(field, text.getBytes(StandardCharsets.UTF_8));
    }

    Wire messageField(int field, Wire message) {
      return bytesField(field, message.bytes());
    }

    Wire floatField(int field, float value) {
      tag(field, ProtoReader.FIXED32);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
      return this;
    }

    Wire raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(bytes());
    }
  }

  @Test
  void readsVarintsOfEveryLengthIncludingNegativeInt64() {
    long[] values = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1};
    Wire w = new Wire();
    for (int i = 0; i < values.length; i++) {
      w.varintField(i + 1, values[i]);
    }
    ProtoReader r = new ProtoReader(w.buffer(), 0);
    for (int i = 0; i < values.length; i++) {
      assertTrue(r.next());
      assertEquals(i + 1, r.field());
      assertEquals(values[i], r.varintField(), "value " + i);
    }
    assertFalse(r.next());
  }

  @Test
  void readsStringsMessagesAndFloatsAndSkipsWhatItDoesNotNeed() {
    Wire inner = new Wire().stringField(1, "query").varintField(2, 7);
    Wire w = new Wire().stringField(3, "héllo").messageField(4, inner).floatField(5, 2.5f)
        .tag(6, ProtoReader.FIXED64).raw(new byte[8]).varintField(7, 42);
    ProtoReader r = new ProtoReader(w.buffer(), 0);
    assertTrue(r.next());
    assertEquals("héllo", r.string());
    assertTrue(r.next());
    ProtoReader m = r.message();
    assertTrue(m.next());
    assertEquals("query", m.string());
    assertTrue(m.next());
    assertEquals(7, m.intField());
    assertFalse(m.next());
    assertTrue(r.next());
    assertEquals(2.5f, r.floatField());
    assertTrue(r.next());
    assertEquals(6, r.field());
    r.skip();
    assertTrue(r.next());
    assertEquals(42, r.varintField());
    assertFalse(r.next());
  }

  @Test
  void repeatedVarintsArePackedOrNot() {
    Wire packed = new Wire().varint(1).varint(300).varint(12);
    Wire w = new Wire().messageField(1, packed).varintField(1, 5).varintField(1, 6);
    ProtoReader r = new ProtoReader(w.buffer(), 0);
    ProtoReader.LongList list = new ProtoReader.LongList();
    while (r.next()) {
      r.varints(list);
    }
    assertArrayEquals(new long[] {1, 300, 12, 5, 6}, list.toArray());
  }

  @Test
  void lengthBeyondTheEndIsTruncationWithItsOffset() {
    byte[] whole = new Wire().varintField(1, 6).stringField(7, "0123456789").bytes();
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 4);
    ProtoReader r = new ProtoReader(ByteBuffer.wrap(cut), 0);
    assertTrue(r.next());
    r.varintField();
    assertTrue(r.next());
    ProtoFormatException e = assertThrows(ProtoFormatException.class, r::bytes);
    assertTrue(e.truncated());
    assertEquals(3, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains("field 7 claims 10 bytes, but only 6 are left"), e.getMessage());
  }

  @Test
  void varintCutOffIsTruncation() {
    ProtoReader r = new ProtoReader(ByteBuffer.wrap(new byte[] {0x08, (byte) 0x96}), 0);
    assertTrue(r.next());
    ProtoFormatException e = assertThrows(ProtoFormatException.class, r::varintField);
    assertTrue(e.truncated());
  }

  @Test
  void groupsFieldZeroAndWrongWireTypesAreRejected() {
    ProtoFormatException group = assertThrows(ProtoFormatException.class,
        () -> new ProtoReader(new Wire().tag(2, 3).buffer(), 0).next());
    assertTrue(group.getMessage().contains("group"), group.getMessage());
    assertFalse(group.truncated());
    ProtoFormatException zero = assertThrows(ProtoFormatException.class,
        () -> new ProtoReader(ByteBuffer.wrap(new byte[] {0x00}), 0).next());
    assertTrue(zero.getMessage().contains("field number 0"), zero.getMessage());
    ProtoReader r = new ProtoReader(new Wire().varintField(7, 1).buffer(), 0);
    assertTrue(r.next());
    ProtoFormatException wrong = assertThrows(ProtoFormatException.class, r::message);
    assertTrue(wrong.getMessage().contains("field 7 has wire type 0 where wire type 2 belongs"), wrong.getMessage());
  }

  @Test
  void nestedOffsetsCountFromTheStartOfTheFile() {
    Wire inner = new Wire().varintField(1, 1).tag(2, 3);
    Wire w = new Wire().varintField(1, 1).messageField(2, inner);
    ProtoReader r = new ProtoReader(w.buffer(), 100);
    assertTrue(r.next());
    r.varintField();
    assertTrue(r.next());
    ProtoReader m = r.message();
    assertTrue(m.next());
    m.varintField();
    ProtoFormatException e = assertThrows(ProtoFormatException.class, m::next);
    // outer: tag(1) value(1) tag(1) length(1) = 4 bytes, inner: tag value = 2 bytes
    assertEquals(106, e.offset(), e.getMessage());
  }
}
