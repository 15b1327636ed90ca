package org.neurite.analysis.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * Writes a model folder in the Hugging Face layout with weight edits applied: {@code config.json},
 * the tokenizer and other small files copied, every tensor written to one {@code model.safetensors}
 * in its stored type, edited ones changed. The folder loads like any other and gives, for edits of
 * neuron outputs, the outputs of the matching intervention. With no edits it is an export.
 */
public final class EditedFolder {
  private EditedFolder() {}

  /** The files besides the weights that travel with a model. */
  private static final List<String> COPIED = List.of("config.json", "tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "generation_config.json", "chat_template.jinja", "vocab.txt", "preprocessor_config.json");

  public static void write(ModelSource source, List<WeightEdit> edits, Path folder) throws IOException {
    Map<String, List<WeightEdit>> byTensor = new HashMap<>();
    for (WeightEdit edit : edits) {
      if (source.tensors().entry(edit.tensor()).isEmpty()) {
        throw new NeuriteException("Model " + source.name() + " has no tensor '" + edit.tensor() + "' to edit.");
      }
      byTensor.computeIfAbsent(edit.tensor(), t -> new java.util.ArrayList<>()).add(edit);
    }
    Files.createDirectories(folder);
    for (String name : COPIED) {
      Path file = source.folder().resolve(name);
      if (Files.isRegularFile(file)) {
        Files.copy(file, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
    Map<Path, SafetensorsFile> open = new HashMap<>();
    try {
      for (String name : new TreeSet<>(source.tensors().names())) {
        TensorEntry entry = source.tensors().entry(name).orElseThrow();
        Path file = source.tensors().fileOf(name);
        SafetensorsFile in = open.computeIfAbsent(file, SafetensorsFile::open);
        ByteBuffer bytes = in.map(name);
        List<WeightEdit> mine = byTensor.getOrDefault(name, List.of());
        if (!mine.isEmpty()) {
          ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
          copy.put(bytes.duplicate()).flip();
          for (WeightEdit edit : mine) {
            apply(edit, entry, copy);
          }
          bytes = copy;
        }
        writer.add(name, entry.dtype(), entry.shape(), bytes);
      }
      writer.write(folder.resolve("model.safetensors"));
    } finally {
      open.values().forEach(SafetensorsFile::close);
    }
    try (Stream<Path> stale = Files.list(folder)) {
      for (Path p : stale.filter(p -> p.getFileName().toString().startsWith("model-")
          || p.getFileName().toString().equals("model.safetensors.index.json")).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void apply(WeightEdit edit, TensorEntry entry, ByteBuffer data) {
    long[] shape = entry.shape();
    if (shape.length > 2 || (shape.length == 1 && edit.axis() != 0)) {
      throw new NeuriteException("Tensor " + entry.name() + " has shape " + entry.shapeText() + "; edits take rows or"
          + " columns of 1-d or 2-d tensors.");
    }
    long rows = shape[0];
    long cols = shape.length == 2 ? shape[1] : 1;
    long extent = edit.axis() == 0 ? rows : cols;
    for (int index : edit.indices()) {
      if (index >= extent) {
        throw new NeuriteException("Edit of " + entry.name() + " " + entry.shapeText() + ": index " + index
            + " is outside its " + (edit.axis() == 0 ? "rows" : "columns") + " (0-" + (extent - 1) + ").");
      }
    }
    TensorDtype dtype = entry.dtype();
    if (edit.factor() != 0 && dtype != TensorDtype.F32 && dtype != TensorDtype.F64) {
      throw new NeuriteException("Scaling " + entry.name() + " needs float32 or float64 weights; it is stored as " + dtype
          + ". Zero edits work for every type; for scaling, convert the checkpoint to float32 first.");
    }
    int size = dtype.bytes();
    for (int index : edit.indices()) {
      long count = edit.axis() == 0 ? cols : rows;
      for (long k = 0; k < count; k++) {
        long element = edit.axis() == 0 ? index * cols + k : k * cols + index;
        int at = (int) (element * size);
        if (edit.factor() == 0) {
          for (int b = 0; b < size; b++) {
            data.put(at + b, (byte) 0);
          }
        } else if (dtype == TensorDtype.F32) {
          data.putFloat(at, (float) (data.getFloat(at) * edit.factor()));
        } else {
          data.putDouble(at, data.getDouble(at) * edit.factor());
        }
      }
    }
  }
}
