package org.neurite.models.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.neurite.api.NeuriteException;

/**
 * One {@code TensorProto}: an initializer, or the value of a Constant node. Its data is kept as
 * little-endian bytes: a slice of the file for {@code raw_data}, or bytes built from the typed
 * fields ({@code float_data}, {@code int32_data}, {@code int64_data}, {@code double_data}).
 *
 * @param source the file it was read from, for error messages
 * @param name the tensor's name (a Constant's value takes the node's output name)
 * @param typeCode the {@code data_type} code as stored
 * @param dims its dimensions
 * @param data its bytes, or null if the file keeps them elsewhere or in a form not read here
 * @param external whether the data lives in an external file
 */
record OnnxTensor(String source, String name, int typeCode, long[] dims, ByteBuffer data, boolean external) {
  OnnxTensor {
    dims = dims.clone();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** The element type, or null for a code ONNX does not define. */
  OnnxDataType dataType() {
    return OnnxDataType.of(typeCode);
  }

  /**
   * The number of elements.
   *
   * @throws NeuriteException if the dimensions multiply beyond 2^63
   */
  long elements() {
    long n = 1;
    try {
      for (long d : dims) {
        n = Math.multiplyExact(n, d);
      }
    } catch (ArithmeticException e) {
      throw new NeuriteException(where() + " has dimensions whose product exceeds 2^63: the file is damaged;"
          + " export it again.");
    }
    return n;
  }

  /** The dimensions as people read them: {@code [384, 1536]}. */
  String shapeText() {
    return Arrays.toString(dims);
  }

  /** The same tensor under another name (a Constant node's output). */
  OnnxTensor renamed(String newName) {
    return new OnnxTensor(source, newName, typeCode, dims, data, external);
  }

  /**
   * The float32 data as little-endian bytes, a read-only view of the file where it is stored as
   * {@code raw_data}.
   *
   * @throws NeuriteException if the tensor is not float32, keeps its data in an external file, or
   *     has a byte count that does not match its shape
   */
  ByteBuffer float32Bytes() {
    checked(OnnxDataType.FLOAT);
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The float32 data as an array. */
  float[] floats() {
    ByteBuffer bytes = float32Bytes(); // checks the size first: the array is never larger than the data
    float[] values = new float[Math.toIntExact(elements())];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  /**
   * The values of an integer tensor (INT64, INT32) as longs.
   *
   * @throws NeuriteException if it is of another type or its data cannot be read
   */
  long[] longs() {
    OnnxDataType type = dataType();
    if (type != OnnxDataType.INT64 && type != OnnxDataType.INT32) {
      throw new NeuriteException(where() + " is " + typeText() + ", where an INT64 or INT32 tensor belongs."
          + " Re-export the model with the ONNX exporter of PyTorch or Optimum.");
    }
    checked(type);
    long[] values = new long[Math.toIntExact(elements())];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      values[i] = type == OnnxDataType.INT64 ? b.getLong() : b.getInt();
    }
    return values;
  }

  /**
   * The values of a floating-point tensor (FLOAT, DOUBLE) as doubles.
   *
   * @throws NeuriteException if it is of another type or its data cannot be read
   */
  double[] doubles() {
    OnnxDataType type = dataType();
    if (type != OnnxDataType.FLOAT && type != OnnxDataType.DOUBLE) {
      throw new NeuriteException(where() + " is " + typeText() + ", where a FLOAT or DOUBLE tensor belongs."
          + " Re-export the model in float32.");
    }
    checked(type);
    double[] values = new double[Math.toIntExact(elements())];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      values[i] = type == OnnxDataType.FLOAT ? b.getFloat() : b.getDouble();
    }
    return values;
  }

  private void checked(OnnxDataType expected) {
    if (external) {
      throw new NeuriteException(where() + " keeps its data in an external file, which Neurite does not read."
          + " Save the model as a single .onnx file (onnx.save_model(model, path, save_as_external_data=False))"
          + " and import that.");
    }
    if (dataType() != expected) {
      throw new NeuriteException(where() + " is " + typeText() + "; Neurite imports float32 encoders only."
          + " Re-export the model in float32 (no fp16 conversion or quantization) and import that.");
    }
    long elements = elements();
    long expectedBytes = elements >= 0 && elements <= Long.MAX_VALUE / expected.bytes()
        ? elements * expected.bytes() : -1;
    if (data == null || expectedBytes < 0 || data.remaining() != expectedBytes) {
      throw new NeuriteException(where() + " has shape " + shapeText() + " and needs "
          + (expectedBytes < 0 ? "an impossible number of" : Long.toString(expectedBytes))
          + " bytes of " + expected + " data, but the file holds "
          + (data == null ? "none in a form Neurite reads" : data.remaining() + " bytes")
          + ". The file is damaged or was written by an unusual exporter; export it again.");
    }
  }

  private String typeText() {
    OnnxDataType type = dataType();
    return type == null ? "of unknown data type " + typeCode : type.name();
  }

  private String where() {
    return "Tensor '" + name + "' " + shapeText() + " in " + source;
  }
}
