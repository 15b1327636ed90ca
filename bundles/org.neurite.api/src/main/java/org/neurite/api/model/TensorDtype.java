package org.neurite.api.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The element types of the safetensors format, with their size in bytes. */
public enum TensorDtype {
  F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

  private final int bytes;

  TensorDtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether this is a floating-point type. */
  public boolean isFloat() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /** The type named as in a safetensors header ({@code "F32"}), if it is one Neurite knows. */
  public static Optional<TensorDtype> parse(String name) {
    return Arrays.stream(values()).filter(t -> t.name().equals(name.toUpperCase(Locale.ROOT))).findFirst();
  }
}
