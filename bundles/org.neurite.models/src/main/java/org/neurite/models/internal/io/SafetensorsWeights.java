package org.neurite.models.internal.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorEntry;
import org.neurite.api.model.TensorStore;
import org.neurite.support.safetensors.SafetensorsFile;

/** The weights of a model folder: one or more safetensors files seen as one set of names. */
public final class SafetensorsWeights implements TensorStore, AutoCloseable {
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> byName;

  SafetensorsWeights(List<SafetensorsFile> files, Map<String, SafetensorsFile> byName) {
    this.files = files;
    this.byName = byName;
  }

  /** Opens the given files; a name in two files is an error. */
  public static SafetensorsWeights open(List<Path> paths) {
    List<SafetensorsFile> opened = new java.util.ArrayList<>();
    Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
    try {
      for (Path path : paths) {
        SafetensorsFile file = SafetensorsFile.open(path);
        opened.add(file);
        for (String name : file.entries().keySet()) {
          SafetensorsFile other = byName.putIfAbsent(name, file);
          if (other != null) {
            throw new NeuriteException("Tensor '" + name + "' is in both " + other.path() + " and " + path
                + "; a checkpoint stores each tensor once.");
          }
        }
      }
    } catch (RuntimeException e) {
      opened.forEach(SafetensorsFile::close);
      throw e;
    }
    return new SafetensorsWeights(List.copyOf(opened), Collections.unmodifiableMap(byName));
  }

  @Override
  public Set<String> names() {
    return byName.keySet();
  }

  @Override
  public Optional<TensorEntry> entry(String name) {
    SafetensorsFile file = byName.get(name);
    return file == null ? Optional.empty() : file.entry(name);
  }

  @Override
  public Path fileOf(String name) {
    SafetensorsFile file = byName.get(name);
    if (file == null) {
      throw missing(name);
    }
    return file.path();
  }

  @Override
  public NDArray load(String name, long[] expectedShape, DataType type, NDManager manager) {
    SafetensorsFile file = byName.get(name);
    if (file == null) {
      throw missing(name);
    }
    TensorEntry entry = file.entry(name).orElseThrow();
    if (expectedShape != null && !Arrays.equals(entry.shape(), expectedShape)) {
      throw new NeuriteException("Tensor '" + name + "' in " + file.path() + " has shape " + entry.shapeText()
          + ", but the model's config.json implies " + Arrays.toString(expectedShape)
          + ". The weights and config.json do not belong together.");
    }
    if (!entry.dtype().isFloat()) {
      throw new NeuriteException("Tensor '" + name + "' in " + file.path() + " is stored as " + entry.dtype()
          + "; model weights must be F32, F16, BF16 or F64 (quantized checkpoints are not supported).");
    }
    return WeightBuffers.toArray(file.map(name), entry.dtype(), new Shape(entry.shape()), type, manager);
  }

  private NeuriteException missing(String name) {
    StringBuilder where = new StringBuilder();
    files.forEach(f -> where.append(where.length() == 0 ? "" : ", ").append(f.path().getFileName()));
    Path folder = files.isEmpty() ? null : files.get(0).path().getParent();
    return new NeuriteException("The checkpoint in " + folder + " (" + where + ") has no tensor '" + name
        + "', which the model's"
        + " config.json requires. The file may be incomplete or belong to another architecture.");
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
