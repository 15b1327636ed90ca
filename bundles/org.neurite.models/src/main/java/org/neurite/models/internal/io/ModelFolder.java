package org.neurite.models.internal.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorStore;
import org.neurite.api.workspace.Workspace;
import org.neurite.support.config.JsonModelConfig;
import org.neurite.support.files.ContentHash;

/**
 * A Hugging Face model folder: {@code config.json}, the safetensors weights (one file, or shards
 * listed by {@code model.safetensors.index.json}) and optionally {@code tokenizer.json}. Pickled
 * checkpoints ({@code .bin}, {@code .pt}) are refused: loading them can run arbitrary code.
 */
public final class ModelFolder implements ModelSource, AutoCloseable {
  private static final String INDEX = "model.safetensors.index.json";
  private static final String SINGLE = "model.safetensors";

  private final Path folder;
  private final ModelConfig config;
  private final List<Path> weightFiles;
  private final Workspace workspace;
  private SafetensorsWeights weights;
  private String contentHash;

  private ModelFolder(Path folder, ModelConfig config, List<Path> weightFiles, Workspace workspace) {
    this.folder = folder;
    this.config = config;
    this.weightFiles = weightFiles;
    this.workspace = workspace;
  }

  /**
   * Opens and checks a folder; the weights' headers are read on first use of {@link #tensors()}.
   *
   * @throws NeuriteException if it is not a readable model folder, saying what is missing
   */
  public static ModelFolder open(Path folder, Workspace workspace) {
    if (!Files.isDirectory(folder)) {
      throw new NeuriteException(Files.exists(folder)
          ? folder + " is a file; give the model's folder (the one holding config.json)."
          : "There is no model folder " + folder + ".");
    }
    ModelConfig config = JsonModelConfig.read(folder.resolve("config.json"));
    return new ModelFolder(folder, config, weightFiles(folder), workspace);
  }

  private static List<Path> weightFiles(Path folder) {
    Path index = folder.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      return shards(index);
    }
    if (Files.isRegularFile(folder.resolve(SINGLE))) {
      return List.of(folder.resolve(SINGLE));
    }
    List<Path> pickles = list(folder, n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth")
        || n.endsWith(".ckpt") || n.endsWith(".pkl"));
    if (!pickles.isEmpty()) {
      throw new NeuriteException("The model folder " + folder + " holds pickled PyTorch weights ("
          + pickles.get(0).getFileName() + "), which Neurite does not load: unpickling can run arbitrary code."
          + " Convert them to safetensors once, e.g. with Python: `from transformers import AutoModel;"
          + " AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)`.");
    }
    List<Path> safetensors = list(folder, n -> n.endsWith(".safetensors"));
    if (safetensors.size() == 1) {
      return safetensors;
    }
    throw new NeuriteException("The model folder " + folder + " has no " + SINGLE + " and no " + INDEX
        + (safetensors.isEmpty() ? "" : " to say which of its " + safetensors.size() + " safetensors files belong"
            + " together") + ". Put the weights there in the Hugging Face layout.");
  }

  private static List<Path> shards(Path index) {
    JsonObject map;
    try {
      JsonElement parsed = JsonParser.parseString(Files.readString(index));
      map = parsed.getAsJsonObject().getAsJsonObject("weight_map");
      if (map == null) {
        throw new IllegalStateException("no weight_map");
      }
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(index + " is not a valid safetensors index (" + e.getMessage() + "); it should be"
          + " {\"weight_map\": {\"tensor name\": \"file name\", ...}}.");
    }
    Set<Path> files = new LinkedHashSet<>();
    for (var entry : map.entrySet()) {
      Path shard = index.resolveSibling(entry.getValue().getAsString()).normalize();
      if (!shard.startsWith(index.getParent())) {
        throw new NeuriteException(index + " names a shard outside its folder: " + entry.getValue());
      }
      if (!Files.isRegularFile(shard)) {
        throw new NeuriteException(index + " lists the shard " + shard.getFileName() + " (for tensor '"
            + entry.getKey() + "'), which is missing from " + index.getParent() + ". Copy every shard.");
      }
      files.add(shard);
    }
    return List.copyOf(files);
  }

  private static List<Path> list(Path folder, java.util.function.Predicate<String> name) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> name.test(p.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new NeuriteException("Cannot list the model folder " + folder + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return folder.getFileName().toString();
  }

  @Override
  public Path folder() {
    return folder;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public synchronized TensorStore tensors() {
    if (weights == null) {
      weights = SafetensorsWeights.open(weightFiles);
    }
    return weights;
  }

  @Override
  public Optional<Path> tokenizerFile() {
    Path file = folder.resolve("tokenizer.json");
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** The files that make the model, in a fixed order. */
  public List<Path> files() {
    List<Path> files = new ArrayList<>();
    files.add(folder.resolve("config.json"));
    if (Files.isRegularFile(folder.resolve(INDEX))) {
      files.add(folder.resolve(INDEX));
    }
    files.addAll(weightFiles);
    tokenizerFile().ifPresent(files::add);
    return files;
  }

  @Override
  public synchronized String contentHash() {
    if (contentHash == null) {
      MessageDigest digest = ContentHash.newDigest();
      for (Path file : files()) {
        digest.update(folder.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(workspace.contentHash(file).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) '\n');
      }
      contentHash = HexFormat.of().formatHex(digest.digest());
    }
    return contentHash;
  }

  @Override
  public synchronized void close() {
    if (weights != null) {
      weights.close();
    }
  }
}
