package org.neurite.models.internal.training;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorStore;

/** A model "folder" whose tensors are parameter arrays in memory ({@link ParameterStore}). */
public final class ParameterSource implements ModelSource {
  private final String name;
  private final Path folder;
  private final ModelConfig config;
  private final Map<String, NDArray> parameters;
  private final ParameterStore store;
  private final Optional<Path> tokenizer;

  public ParameterSource(String name, Path folder, ModelConfig config, Map<String, NDArray> parameters,
      Optional<Path> tokenizer) {
    this.name = name;
    this.folder = folder;
    this.config = config;
    this.parameters = parameters;
    this.store = new ParameterStore(parameters, folder.resolve("model.safetensors"));
    this.tokenizer = tokenizer;
  }

  @Override
  public String name() {
    return name;
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
  public TensorStore tensors() {
    return store;
  }

  @Override
  public Optional<Path> tokenizerFile() {
    return tokenizer;
  }

  /** SHA-256 of the config and of the parameters' names, shapes and current values: it changes as they train. */
  @Override
  public String contentHash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(config.toJson().getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        sha.update(p.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update(p.getValue().getShape().toString().getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = p.getValue().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
