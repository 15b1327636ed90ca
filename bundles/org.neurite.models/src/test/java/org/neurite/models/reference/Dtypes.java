package org.neurite.models.reference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.neurite.api.model.TensorDtype;

/**
 * Floating-point storage types of safetensors checkpoints: IEEE half (F16) and bfloat16 (BF16)
 * conversions with round-to-nearest-even, as {@code torch.Tensor.to(float16/bfloat16)} does, and
 * little-endian encoding and decoding of whole tensors.
 */
final class Dtypes {
  private Dtypes() {}

  /** The IEEE 754 binary16 bits nearest to {@code value} (ties to even; overflow to infinity). */
  static short toF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xFF;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      return (short) (sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (e <= 0) {
      // a half subnormal: the value is m * 2^-24 with the implicit bit made explicit
      int shift = 14 - e;
      if (shift > 24) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      return (short) (sign | roundShift(full, shift));
    }
    int half = (e << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // a carry into the exponent is correct, up to infinity
    }
    return (short) (sign | half);
  }

  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
      kept++;
    }
    return kept;
  }

  /** The value of binary16 bits. */
  static float fromF16(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** The bfloat16 bits nearest to {@code value}: the upper 16 bits rounded to nearest even. */
  static short toBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /** The value of bfloat16 bits. */
  static float fromBf16(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** The value {@code value} takes once stored as {@code dtype} (F64 keeps it). */
  static double roundTrip(TensorDtype dtype, double value) {
    return switch (dtype) {
      case F64 -> value;
      case F32 -> (float) value;
      case F16 -> fromF16(toF16((float) value));
      case BF16 -> fromBf16(toBf16((float) value));
      default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
    };
  }

  /** Little-endian bytes of {@code values} stored as {@code dtype}, each rounded from its float32 value. */
  static ByteBuffer encode(TensorDtype dtype, double[] values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      switch (dtype) {
        case F64 -> out.putDouble(v);
        case F32 -> out.putFloat((float) v);
        case F16 -> out.putShort(toF16((float) v));
        case BF16 -> out.putShort(toBf16((float) v));
        default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
      }
    }
    return out.flip();
  }

  /** The values of a little-endian tensor of {@code count} elements, as doubles. */
  static double[] decode(TensorDtype dtype, ByteBuffer bytes, int count) {
    ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = switch (dtype) {
        case F64 -> in.getDouble();
        case F32 -> in.getFloat();
        case F16 -> fromF16(in.getShort());
        case BF16 -> fromBf16(in.getShort());
        default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
      };
    }
    return values;
  }
}
