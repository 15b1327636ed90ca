package org.neurite.api.model;

import java.nio.file.Path;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model folder in the Hugging Face layout, opened and checked but not loaded:
 * {@code config.json}, {@code model.safetensors} or a sharded {@code model.safetensors.index.json},
 * and optionally {@code tokenizer.json}.
 */
@ProviderType
public interface ModelSource {

  /** The name models are listed under: the folder's name. */
  String name();

  /** The folder. */
  Path folder();

  /** {@code config.json}. */
  ModelConfig config();

  /** The weights. */
  TensorStore tensors();

  /** {@code tokenizer.json}, if the folder has one. */
  Optional<Path> tokenizerFile();

  /**
   * SHA-256 over the folder's model files (config, weights, index, tokenizer), names and bytes:
   * the model's identity in provenance. Computed once per file version and remembered.
   */
  String contentHash();
}
