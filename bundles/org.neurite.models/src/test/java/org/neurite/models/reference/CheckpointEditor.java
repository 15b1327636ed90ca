package org.neurite.models.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;

/**
 * Writes a modified copy of a checkpoint folder: the same files, sharding and dtypes, with chosen
 * tensors rewritten (values rounded to the tensor's stored dtype) and config.json edited. Every
 * other file is copied unchanged.
 *
 * <pre>{@code
 * TinyCheckpoints.edit(src, dst).zeroColumn("model.layers.1.mlp.down_proj.weight", 7).write();
 * }</pre>
 */
public final class CheckpointEditor {
  /** A new value for a tensor: its (possibly new) shape and row-major values. */
  public record Replacement(long[] shape, double[] values) {}

  /** Computes a tensor's new value from its shape and row-major values. */
  @FunctionalInterface
  public interface TensorEdit {
    Replacement apply(long[] shape, double[] values);
  }

  private final Path source;
  private final Path target;
  private final Map<String, TensorEdit> edits = new LinkedHashMap<>();
  private final List<Consumer<JsonObject>> configEdits = new ArrayList<>();

  CheckpointEditor(Path source, Path target) {
    if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("the copy needs a folder other than " + source);
    }
    this.source = source;
    this.target = target;
  }

  /** Rewrites a tensor with a function of its shape and values. */
  public CheckpointEditor tensor(String name, TensorEdit edit) {
    if (edits.putIfAbsent(name, edit) != null) {
      throw new IllegalArgumentException("tensor " + name + " is edited twice");
    }
    return this;
  }

  /** Replaces a tensor with new values, possibly of a new shape. */
  public CheckpointEditor replace(String name, long[] shape, double[] values) {
    return tensor(name, (oldShape, oldValues) -> new Replacement(shape.clone(), values.clone()));
  }

  /** Zeroes column {@code column} of a 2-D tensor (an nn.Linear input feature: weight[:, column] = 0). */
  public CheckpointEditor zeroColumn(String name, int column) {
    return tensor(name, (shape, values) -> {
      requireMatrix(name, shape);
      int cols = (int) shape[1];
      for (int r = 0; r < shape[0]; r++) {
        values[r * cols + column] = 0.0;
      }
      return new Replacement(shape, values);
    });
  }

  /** Zeroes row {@code row} of a 2-D tensor (a Conv1D input feature: weight[row, :] = 0). */
  public CheckpointEditor zeroRow(String name, int row) {
    return tensor(name, (shape, values) -> {
      requireMatrix(name, shape);
      int cols = (int) shape[1];
      Arrays.fill(values, row * cols, (row + 1) * cols, 0.0);
      return new Replacement(shape, values);
    });
  }

  private static void requireMatrix(String name, long[] shape) {
    if (shape.length != 2) {
      throw new IllegalArgumentException(name + " is not a matrix: " + Arrays.toString(shape));
    }
  }

  /** Sets a member of config.json (JsonNull to write null). */
  public CheckpointEditor config(String key, JsonElement value) {
    configEdits.add(c -> c.add(key, value.deepCopy()));
    return this;
  }

  /** Edits config.json freely. */
  public CheckpointEditor config(Consumer<JsonObject> edit) {
    configEdits.add(edit);
    return this;
  }

  /** Writes the copy and returns its folder. */
  public Path write() {
    try {
      Map<String, List<CheckpointFiles.Stored>> files = new LinkedHashMap<>();
      Set<String> pending = new LinkedHashSet<>(edits.keySet());
      for (String file : weightFiles()) {
        List<CheckpointFiles.Stored> tensors = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(source.resolve(file))) {
          for (TensorEntry entry : st.entries().values()) {
            tensors.add(copy(st, entry));
            pending.remove(entry.name());
          }
        }
        files.put(file, tensors);
      }
      if (!pending.isEmpty()) {
        throw new IllegalArgumentException("the checkpoint " + source + " has no tensors " + pending);
      }
      Files.createDirectories(target);
      CheckpointFiles.clearWeights(target);
      copyOtherFiles();
      CheckpointFiles.writeTensors(target, files);
      JsonObject config = JsonParser.parseString(
          Files.readString(source.resolve(CheckpointFiles.CONFIG), StandardCharsets.UTF_8)).getAsJsonObject();
      configEdits.forEach(e -> e.accept(config));
      CheckpointFiles.writeJson(target.resolve(CheckpointFiles.CONFIG), config);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CheckpointFiles.Stored copy(SafetensorsFile st, TensorEntry entry) {
    ByteBuffer mapped = st.map(entry.name());
    TensorEdit edit = edits.get(entry.name());
    if (edit == null) {
      ByteBuffer bytes = ByteBuffer.allocate(mapped.remaining());
      bytes.put(mapped.duplicate()).flip();
      return new CheckpointFiles.Stored(entry.name(), entry.dtype(), entry.shape(), bytes);
    }
    double[] values = Dtypes.decode(entry.dtype(), mapped, Math.toIntExact(entry.elements()));
    Replacement r = edit.apply(entry.shape(), values);
    long count = 1;
    for (long d : r.shape()) {
      count *= d;
    }
    if (count != r.values().length) {
      throw new IllegalArgumentException("new value of " + entry.name() + " has " + r.values().length
          + " values for shape " + Arrays.toString(r.shape()));
    }
    return new CheckpointFiles.Stored(entry.name(), entry.dtype(), r.shape(), Dtypes.encode(entry.dtype(), r.values()));
  }

  private List<String> weightFiles() throws IOException {
    Path index = source.resolve(CheckpointFiles.INDEX);
    if (!Files.exists(index)) {
      return List.of(CheckpointFiles.SINGLE);
    }
    JsonObject map = JsonParser.parseString(Files.readString(index, StandardCharsets.UTF_8))
        .getAsJsonObject().getAsJsonObject("weight_map");
    Set<String> files = new LinkedHashSet<>();
    map.entrySet().forEach(e -> files.add(e.getValue().getAsString()));
    return new ArrayList<>(files);
  }

  private void copyOtherFiles() throws IOException {
    try (Stream<Path> list = Files.list(source)) {
      for (Path f : list.toList()) {
        String name = f.getFileName().toString();
        boolean weights = name.endsWith(".safetensors") || name.equals(CheckpointFiles.INDEX);
        if (!weights && !name.equals(CheckpointFiles.CONFIG) && Files.isRegularFile(f)) {
          Files.copy(f, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
