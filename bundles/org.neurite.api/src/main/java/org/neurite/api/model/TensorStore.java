package org.neurite.api.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.neurite.api.model.TensorEntry;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The weights of a model folder: one safetensors file or several shards, seen as one set of
 * named tensors. Tensors are memory-mapped; each keeps its stored type until {@link #load}
 * converts it.
 */
@ProviderType
public interface TensorStore {

  /** Every tensor name. */
  Set<String> names();

  /** A tensor's stored type and shape, if present. */
  Optional<TensorEntry> entry(String name);

  /** The file holding a tensor. */
  Path fileOf(String name);

  /**
   * Loads a tensor into {@code manager}, converted to {@code type}.
   *
   * @param expectedShape the shape the model's config implies, or null to accept any
   * @throws org.neurite.api.NeuriteException naming the file and tensor if it is missing or its
   *     shape differs from {@code expectedShape}
   */
  NDArray load(String name, long[] expectedShape, DataType type, NDManager manager);
}
