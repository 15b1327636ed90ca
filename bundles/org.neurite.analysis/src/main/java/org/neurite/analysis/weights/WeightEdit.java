package org.neurite.analysis.weights;

import java.util.Arrays;

/**
 * A persistent edit of one weight tensor (METHODS.md P7): its rows ({@code axis 0}) or columns
 * ({@code axis 1}) at the given indices are multiplied by {@code factor} (0 zeroes them).
 *
 * @param tensor the checkpoint's tensor name, e.g. {@code model.layers.1.mlp.down_proj.weight}
 * @param axis 0 for rows, 1 for columns of a 2-d tensor (0 for the entries of a 1-d tensor)
 * @param indices which rows or columns
 * @param factor what they are multiplied by
 */
public record WeightEdit(String tensor, int axis, int[] indices, double factor) {
  public WeightEdit {
    if (axis != 0 && axis != 1) {
      throw new IllegalArgumentException("axis " + axis + " of " + tensor + " must be 0 (rows) or 1 (columns)");
    }
    indices = Arrays.stream(indices).distinct().sorted().toArray();
  }

  @Override
  public int[] indices() {
    return indices.clone();
  }

  public String describe() {
    return (factor == 0 ? "zero" : "scale(" + factor + ")") + " " + (axis == 0 ? "rows " : "columns ")
        + Arrays.toString(indices) + " of " + tensor;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WeightEdit e && e.tensor.equals(tensor) && e.axis == axis && Arrays.equals(e.indices, indices)
        && e.factor == factor;
  }

  @Override
  public int hashCode() {
    return tensor.hashCode() * 31 + Arrays.hashCode(indices);
  }
}
