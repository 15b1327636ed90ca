package org.neurite.api.model;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds and loads models: a folder path, a folder under the workspace's {@code models/}, or a
 * model shipped with Neurite (imported into {@code models/} on first use). Loaded models are kept
 * and shared until unloaded, one per folder, device and dtype.
 */
@ProviderType
public interface ModelRepository {

  /**
   * Loads a model, or returns the one already loaded from the same folder with the same options.
   *
   * @param model a folder (absolute, or relative to the workspace) or a model name
   * @throws org.neurite.api.NeuriteException if it cannot be found or read, naming what was tried
   */
  LanguageModel load(String model, LoadOptions options);

  /** Opens a model folder without loading it. */
  ModelSource open(String model);

  /** Loaded models, available folders under {@code models/}, and shipped models. */
  List<ModelEntry> models();

  /** A loaded model by name. */
  Optional<LanguageModel> loaded(String name);

  /** Closes a loaded model and forgets it; false if none was loaded under that name. */
  boolean unload(String name);

  /** The registered families' names. */
  List<String> families();
}
