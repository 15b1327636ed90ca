package org.neurite.models.internal.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.neurite.api.model.TensorDtype;

/**
 * Stored bytes to a tensor of the compute type. F32 and F64 are created straight on the mapped
 * file (no copy on the CPU); F16 is converted by the engine; BF16 is widened here, since the
 * PyTorch build DJL ships aborts the process on bfloat16 tensors.
 */
final class WeightBuffers {
  private WeightBuffers() {}

  static NDArray toArray(ByteBuffer stored, TensorDtype dtype, Shape shape, DataType type, NDManager manager) {
    switch (dtype) {
      case F32:
      case F64:
      case F16: {
        DataType storedType = dtype == TensorDtype.F32 ? DataType.FLOAT32
            : dtype == TensorDtype.F64 ? DataType.FLOAT64 : DataType.FLOAT16;
        NDArray raw = manager.create(stored, shape, storedType);
        if (storedType == type) {
          return raw;
        }
        NDArray converted = raw.toType(type, false);
        raw.close();
        return converted;
      }
      case BF16: {
        NDArray widened = manager.create(widenBf16(stored), shape, DataType.FLOAT32);
        if (type == DataType.FLOAT32) {
          return widened;
        }
        NDArray converted = widened.toType(type, false);
        widened.close();
        return converted;
      }
      default:
        throw new IllegalArgumentException("not a floating-point type: " + dtype);
    }
  }

  /** bfloat16 is the upper half of a float32: widening is exact. */
  static ByteBuffer widenBf16(ByteBuffer stored) {
    ShortBuffer halves = stored.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    ByteBuffer out = ByteBuffer.allocateDirect(halves.remaining() * 4).order(ByteOrder.nativeOrder());
    while (halves.hasRemaining()) {
      out.putInt((halves.get() & 0xffff) << 16);
    }
    return out.flip();
  }
}
