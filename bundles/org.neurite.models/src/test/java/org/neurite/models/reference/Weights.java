package org.neurite.models.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;

/**
 * Every floating-point tensor of a Hugging Face folder, decoded to float64: {@code model.safetensors},
 * or the shards that {@code model.safetensors.index.json} lists (each tensor read from the file its
 * weight_map names). F64, F32, F16 and BF16 are decoded; tensors of other types (e.g. integer
 * buffers) are known by name but refused when asked for.
 */
final class Weights {
  /** A decoded tensor: its shape and row-major values. */
  record Tensor(long[] shape, double[] data) {}

  private final Path folder;
  private final Map<String, Tensor> tensors;
  private final Map<String, String> nonFloat;

  private Weights(Path folder, Map<String, Tensor> tensors, Map<String, String> nonFloat) {
    this.folder = folder;
    this.tensors = tensors;
    this.nonFloat = nonFloat;
  }

  static Weights load(Path folder) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> nonFloat = new LinkedHashMap<>();
    Path index = folder.resolve(CheckpointFiles.INDEX);
    if (Files.exists(index)) {
      Map<String, List<String>> byFile = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : readJson(index).getAsJsonObject("weight_map").entrySet()) {
        byFile.computeIfAbsent(e.getValue().getAsString(), f -> new ArrayList<>()).add(e.getKey());
      }
      byFile.forEach((file, names) -> read(folder.resolve(file), names, tensors, nonFloat));
    } else if (Files.exists(folder.resolve(CheckpointFiles.SINGLE))) {
      read(folder.resolve(CheckpointFiles.SINGLE), null, tensors, nonFloat);
    } else {
      throw new IllegalArgumentException(folder + " has neither " + CheckpointFiles.SINGLE + " nor "
          + CheckpointFiles.INDEX);
    }
    return new Weights(folder, tensors, nonFloat);
  }

  private static void read(Path file, List<String> names, Map<String, Tensor> tensors, Map<String, String> nonFloat) {
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      List<String> wanted = names != null ? names : List.copyOf(st.entries().keySet());
      for (String name : wanted) {
        TensorEntry entry = st.entry(name).orElseThrow(() -> new IllegalArgumentException(
            "the index puts " + name + " in " + file.getFileName() + ", which does not have it"));
        if (!entry.dtype().isFloat()) {
          nonFloat.put(name, entry.dtype().name());
          continue;
        }
        double[] data = Dtypes.decode(entry.dtype(), st.map(name), Math.toIntExact(entry.elements()));
        if (tensors.put(name, new Tensor(entry.shape(), data)) != null) {
          throw new IllegalArgumentException("tensor " + name + " is stored twice");
        }
      }
    }
  }

  static JsonObject readJson(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Set<String> names() {
    return tensors.keySet();
  }

  boolean has(String name) {
    return tensors.containsKey(name);
  }

  Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      if (nonFloat.containsKey(name)) {
        throw new IllegalArgumentException(name + " in " + folder + " is " + nonFloat.get(name) + ", not floating");
      }
      throw new IllegalArgumentException(folder + " has no tensor " + name);
    }
    return t;
  }

  /** A 2-D tensor of exactly [rows, cols], as rows. */
  double[][] matrix(String name, int rows, int cols) {
    Tensor t = tensor(name);
    requireShape(name, t, rows, cols);
    double[][] m = new double[rows][];
    for (int r = 0; r < rows; r++) {
      m[r] = Arrays.copyOfRange(t.data(), r * cols, (r + 1) * cols);
    }
    return m;
  }

  /** A 1-D tensor of exactly [n]. */
  double[] vector(String name, int n) {
    Tensor t = tensor(name);
    requireShape(name, t, n);
    return t.data().clone();
  }

  /** The vector if stored, else null. */
  double[] optionalVector(String name, int n) {
    return has(name) ? vector(name, n) : null;
  }

  private static void requireShape(String name, Tensor t, long... expected) {
    if (!Arrays.equals(t.shape(), expected)) {
      throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(t.shape())
          + ", the config implies " + Arrays.toString(expected));
    }
  }
}
