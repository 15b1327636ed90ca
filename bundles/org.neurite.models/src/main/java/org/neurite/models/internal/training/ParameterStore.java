package org.neurite.models.internal.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.api.model.TensorStore;

/**
 * Named parameter arrays seen as a checkpoint's tensors. {@link #load} hands out the array itself,
 * never a copy, so the model a family builds from it computes with the caller's parameters: their
 * gradients are the model's, and an in-place update is seen by the next forward pass. The arrays stay
 * in the caller's scope (the manager a family passes is not used); closing the model leaves them.
 */
final class ParameterStore implements TensorStore {
  private final Map<String, NDArray> parameters;
  private final Path file;

  ParameterStore(Map<String, NDArray> parameters, Path file) {
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.file = file;
  }

  @Override
  public Set<String> names() {
    return parameters.keySet();
  }

  @Override
  public Optional<TensorEntry> entry(String name) {
    NDArray array = parameters.get(name);
    if (array == null) {
      return Optional.empty();
    }
    long[] shape = array.getShape().getShape();
    long bytes = array.getShape().size() * array.getDataType().getNumOfBytes();
    return Optional.of(new TensorEntry(name, array.getDataType() == DataType.FLOAT64 ? TensorDtype.F64 : TensorDtype.F32,
        shape, 0, bytes));
  }

  @Override
  public Path fileOf(String name) {
    return file;
  }

  @Override
  public NDArray load(String name, long[] expectedShape, DataType type, NDManager manager) {
    NDArray array = parameters.get(name);
    if (array == null) {
      throw new NeuriteException("The parameters for " + file + " have no '" + name + "'; the config needs it. Give"
          + " every tensor the config implies (TrainableDecoders.parameterShapes lists them).");
    }
    long[] shape = array.getShape().getShape();
    if (expectedShape != null && !Arrays.equals(shape, expectedShape)) {
      throw new NeuriteException("Parameter '" + name + "' is " + Arrays.toString(shape) + "; the config implies "
          + Arrays.toString(expectedShape) + ".");
    }
    if (array.getDataType() != type) {
      throw new NeuriteException("Parameter '" + name + "' is " + array.getDataType() + "; the model computes in "
          + type + ". Make every parameter of the compute type (a converted copy would receive no gradient).");
    }
    return array;
  }
}
