package org.neurite.api.model;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Models that ship with the installation in a form other than a Hugging Face folder (the ONNX
 * all-MiniLM-L6-v2 of a Maven artifact), written out as a folder on first use. The model
 * repository consults these services only for a name that matches no folder, so a model given by
 * its folder never runs through one.
 */
@ProviderType
public interface ShippedModels {

  /** The names of the models this service ships, e.g. {@code all-minilm-l6-v2}. */
  List<String> names();

  /** Whether {@code name} is one of {@link #names()}. */
  default boolean has(String name) {
    return names().contains(name);
  }

  /**
   * Writes the named model into {@code modelsFolder/NAME} as a Hugging Face folder (config.json,
   * model.safetensors, tokenizer.json) unless a complete one is there already.
   *
   * @return the folder
   * @throws org.neurite.api.NeuriteException if the name is not one of {@link #names()} or the
   *     shipped files cannot be read or written
   */
  Path importInto(String name, Path modelsFolder);
}
