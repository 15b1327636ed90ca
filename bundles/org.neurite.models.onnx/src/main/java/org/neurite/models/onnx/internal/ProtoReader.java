package org.neurite.models.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one protobuf message in the wire format, field by field, over a {@link ByteBuffer}: no
 * schema and no copying (length-delimited fields come back as slices of the same buffer). Usage:
 *
 * <pre>{@code
 * ProtoReader r = new ProtoReader(bytes, 0);
 * while (r.next()) {
 *   switch (r.field()) {
 *     case 1 -> name = r.string();
 *     case 2 -> nested = r.message();
 *     default -> r.skip();
 *   }
 * }
 * }</pre>
 *
 * Every malformed input (a varint running past the end or over 10 bytes, a length beyond the
 * bytes left, a field number 0, a group or an unknown wire type) throws a
 * {@link ProtoFormatException} giving the byte offset from the start of the outermost buffer.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buffer;
  private final long base;
  private int field;
  private int wireType = -1;
  private int fieldStart;

  /**
   * Reads the bytes from the buffer's position to its limit.
   *
   * @param base the offset of the buffer's position within the whole file, for error messages
   */
  ProtoReader(ByteBuffer buffer, long base) {
    this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    this.base = base;
  }

  /** Moves to the next field; false at the end of the message. */
  boolean next() {
    if (wireType >= 0 && buffer.position() == fieldStart) {
      throw new IllegalStateException("field " + field + " was neither read nor skipped");
    }
    if (!buffer.hasRemaining()) {
      wireType = -1;
      return false;
    }
    long at = offset();
    long key = varint();
    fieldStart = buffer.position();
    int type = (int) (key & 7);
    long number = key >>> 3;
    if (number == 0 || number > 0x1FFF_FFFFL) {
      throw new ProtoFormatException(at, "field number " + number + " is out of range", false);
    }
    if (type != VARINT && type != FIXED64 && type != LENGTH_DELIMITED && type != FIXED32) {
      throw new ProtoFormatException(at, "field " + number + " has wire type " + type
          + (type == 3 || type == 4 ? " (a group, which ONNX never uses)" : ", which protobuf does not define"),
          false);
    }
    field = (int) number;
    wireType = type;
    return true;
  }

  /** The current field's number. */
  int field() {
    return field;
  }

  /** The current field's wire type. */
  int wireType() {
    return wireType;
  }

  /** The offset of the next unread byte within the whole file. */
  long offset() {
    return base + buffer.position();
  }

  /** Reads the current field as a varint (wire type 0). */
  long varintField() {
    expect(VARINT);
    return varint();
  }

  /** Reads the current field as an {@code int32}/{@code int64}/{@code enum} varint that must fit an int. */
  int intField() {
    long at = offset();
    long value = varintField();
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new ProtoFormatException(at, "field " + field + " holds " + value + ", which does not fit 32 bits",
          false);
    }
    return (int) value;
  }

  /** Reads the current field as a 32-bit float (wire type 5). */
  float floatField() {
    expect(FIXED32);
    need(4);
    return buffer.getFloat();
  }

  /** Reads the current field as a 64-bit float (wire type 1). */
  double doubleField() {
    expect(FIXED64);
    need(8);
    return buffer.getDouble();
  }

  /** Reads the current field as raw bytes (wire type 2): a slice of the buffer, little-endian. */
  ByteBuffer bytes() {
    expect(LENGTH_DELIMITED);
    long at = offset();
    long length = varint();
    if (length < 0 || length > buffer.remaining()) {
      throw new ProtoFormatException(at, "field " + field + " claims " + Long.toUnsignedString(length)
          + " bytes, but only "
          + buffer.remaining() + " are left", true);
    }
    ByteBuffer slice = buffer.slice(buffer.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.position(buffer.position() + (int) length);
    return slice;
  }

  /** Reads the current field as UTF-8 text. */
  String string() {
    ByteBuffer b = bytes();
    byte[] text = new byte[b.remaining()];
    b.get(text);
    return new String(text, StandardCharsets.UTF_8);
  }

  /** Reads the current field as an embedded message. */
  ProtoReader message() {
    ByteBuffer b = bytes();
    return new ProtoReader(b, offset() - b.remaining());
  }

  /**
   * Reads a repeated varint field, packed (wire type 2) or not (wire type 0), appending to the list.
   */
  void varints(LongList into) {
    if (wireType == VARINT) {
      into.add(varint());
      return;
    }
    ProtoReader packed = message();
    while (packed.buffer.hasRemaining()) {
      into.add(packed.varint());
    }
  }

  /** Skips the current field, whatever its wire type. */
  void skip() {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> {
        need(8);
        buffer.position(buffer.position() + 8);
      }
      case FIXED32 -> {
        need(4);
        buffer.position(buffer.position() + 4);
      }
      case LENGTH_DELIMITED -> bytes();
      default -> throw new IllegalStateException("no current field");
    }
  }

  private void expect(int type) {
    if (wireType != type) {
      throw new ProtoFormatException(base + fieldStart, "field " + field + " has wire type " + wireType
          + " where wire type " + type + " belongs", false);
    }
  }

  private void need(int bytes) {
    if (buffer.remaining() < bytes) {
      throw new ProtoFormatException(offset(), "field " + field + " needs " + bytes + " bytes, but only "
          + buffer.remaining() + " are left", true);
    }
  }

  private long varint() {
    long at = offset();
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw new ProtoFormatException(at, "a varint runs past the end of the data", true);
      }
      byte b = buffer.get();
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new ProtoFormatException(at, "a varint is longer than 10 bytes", false);
  }

  /** A growable list of longs, for repeated varint fields. */
  static final class LongList {
    private long[] values = new long[4];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
