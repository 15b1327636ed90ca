package org.neurite.models.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One tensor of the Hugging Face checkpoint and where its values come from.
 *
 * @param name the Hugging Face BertModel name, e.g. {@code encoder.layer.0.attention.self.query.weight}
 * @param source the ONNX initializer holding the values
 * @param transpose whether the source is a matrix laid out [in, out] that becomes [out, in]
 */
record MappedTensor(String name, OnnxTensor source, boolean transpose) {
  /** The shape in the Hugging Face checkpoint. */
  long[] shape() {
    long[] dims = source.dims();
    return transpose ? new long[] {dims[1], dims[0]} : dims;
  }

  /** The float32 values in little-endian order, in the Hugging Face layout. */
  ByteBuffer bytes() {
    ByteBuffer data = source.float32Bytes();
    if (!transpose) {
      return data;
    }
    int rows = Math.toIntExact(source.dims()[0]);
    int cols = Math.toIntExact(source.dims()[1]);
    FloatBuffer in = data.asFloatBuffer();
    float[] row = new float[cols];
    float[] out = new float[Math.multiplyExact(rows, cols)];
    for (int r = 0; r < rows; r++) {
      in.get(row);
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = row[c];
      }
    }
    ByteBuffer bytes = ByteBuffer.allocate(out.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(out);
    return bytes;
  }

  @Override
  public String toString() {
    return name + " " + Arrays.toString(shape()) + " <- " + source.name() + (transpose ? " (transposed)" : "");
  }
}
