package org.neurite.models.reference;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neurite.api.model.TensorDtype;
import org.neurite.support.safetensors.SafetensorsWriter;

/**
 * Writes a Hugging Face model folder the way {@code save_pretrained} lays it out: {@code config.json}
 * and either {@code model.safetensors} or shards {@code model-0000i-of-0000n.safetensors} with
 * {@code model.safetensors.index.json} ({@code metadata.total_size} and {@code weight_map}).
 */
final class CheckpointFiles {
  static final String SINGLE = "model.safetensors";
  static final String INDEX = "model.safetensors.index.json";
  static final String CONFIG = "config.json";

  /** One tensor as stored: its dtype, shape and little-endian bytes. */
  record Stored(String name, TensorDtype dtype, long[] shape, ByteBuffer bytes) {
    long size() {
      return bytes.remaining();
    }
  }

  private CheckpointFiles() {}

  /** The shard file name {@code model-00001-of-00002.safetensors} of 1-based shard {@code i} of {@code n}. */
  static String shardName(int i, int n) {
    return String.format("model-%05d-of-%05d.safetensors", i, n);
  }

  /**
   * Splits tensors, in order, into two shards of about equal byte size: the first shard takes
   * tensors until it holds at least half of all bytes, and each shard holds at least one tensor.
   */
  static Map<String, List<Stored>> twoShards(List<Stored> tensors) {
    if (tensors.size() < 2) {
      throw new IllegalArgumentException("two shards need at least two tensors");
    }
    long total = tensors.stream().mapToLong(Stored::size).sum();
    List<Stored> first = new ArrayList<>();
    long bytes = 0;
    for (Stored t : tensors) {
      if (bytes * 2 >= total || first.size() == tensors.size() - 1) {
        break;
      }
      first.add(t);
      bytes += t.size();
    }
    Map<String, List<Stored>> shards = new LinkedHashMap<>();
    shards.put(shardName(1, 2), first);
    shards.put(shardName(2, 2), new ArrayList<>(tensors.subList(first.size(), tensors.size())));
    return shards;
  }

  /**
   * Writes the tensors grouped by file. With one group named {@value #SINGLE} no index is written;
   * otherwise the index maps every tensor to its file.
   */
  static void writeTensors(Path dir, Map<String, List<Stored>> files) {
    try {
      Files.createDirectories(dir);
      JsonObject weightMap = new JsonObject();
      long total = 0;
      for (Map.Entry<String, List<Stored>> file : files.entrySet()) {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (Stored t : file.getValue()) {
          writer.add(t.name(), t.dtype(), t.shape(), t.bytes().duplicate());
          weightMap.addProperty(t.name(), file.getKey());
          total += t.size();
        }
        writer.write(dir.resolve(file.getKey()));
      }
      boolean single = files.size() == 1 && files.containsKey(SINGLE);
      if (!single) {
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", total);
        JsonObject index = new JsonObject();
        index.add("metadata", metadata);
        index.add("weight_map", weightMap);
        writeJson(dir.resolve(INDEX), index);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the safetensors files and the index of a folder, if there are any. */
  static void clearWeights(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".safetensors") || name.equals(INDEX)) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes pretty-printed JSON, keeping {@code null} members (as Python's json.dump does). */
  static void writeJson(Path file, JsonElement json) {
    try {
      String text = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json);
      Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code torch_dtype} string HF writes into config.json for a storage type. */
  static String torchDtype(TensorDtype dtype) {
    return switch (dtype) {
      case F32 -> "float32";
      case F16 -> "float16";
      case BF16 -> "bfloat16";
      case F64 -> "float64";
      default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
    };
  }
}
