package org.neurite.models.onnx.internal;

/** The element types of ONNX's {@code TensorProto.DataType}, with their codes and sizes in bytes. */
enum OnnxDataType {
  UNDEFINED(0, 0), FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), UINT16(4, 2), INT16(5, 2), INT32(6, 4), INT64(7, 8),
  STRING(8, 0), BOOL(9, 1), FLOAT16(10, 2), DOUBLE(11, 8), UINT32(12, 4), UINT64(13, 8), COMPLEX64(14, 8),
  COMPLEX128(15, 16), BFLOAT16(16, 2);

  private final int code;
  private final int bytes;

  OnnxDataType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** The code in the file. */
  int code() {
    return code;
  }

  /** Bytes per element in {@code raw_data}; 0 where that has no fixed size. */
  int bytes() {
    return bytes;
  }

  /** The type with this code, or null if ONNX defines none (the caller reports it with the tensor's name). */
  static OnnxDataType of(int code) {
    for (OnnxDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
