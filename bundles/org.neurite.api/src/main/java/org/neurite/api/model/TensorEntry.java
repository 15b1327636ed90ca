package org.neurite.api.model;

import java.util.Arrays;

/**
 * One tensor in a safetensors file.
 *
 * @param name the tensor's name, e.g. {@code model.layers.0.mlp.up_proj.weight}
 * @param dtype its element type
 * @param shape its dimensions; empty for a scalar
 * @param begin the first byte of its data, relative to the start of the data section
 * @param end one past its last byte, relative to the start of the data section
 */
public record TensorEntry(String name, TensorDtype dtype, long[] shape, long begin, long end) {
  public TensorEntry {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements: the product of the shape. */
  public long elements() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The shape as people read it: {@code [384, 1536]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorEntry e && e.name.equals(name) && e.dtype == dtype
        && Arrays.equals(e.shape, shape) && e.begin == begin && e.end == end;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + shapeText();
  }
}
