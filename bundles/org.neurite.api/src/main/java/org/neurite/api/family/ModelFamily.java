package org.neurite.api.family;

import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An architecture family that can load models of its kind (GPT-2, the Llama family, BERT).
 * Registered as a service; the model repository asks each family whether it accepts a folder's
 * {@code config.json}.
 */
@ConsumerType
public interface ModelFamily {

  /** {@code gpt2}, {@code llama}, {@code bert}. */
  String name();

  /** The {@code model_type} values it reads, for messages when none accepts a folder. */
  java.util.List<String> modelTypes();

  /**
   * Whether it can load a model with this configuration; by default, whether its {@code model_type}
   * is one of {@link #modelTypes()}. A family that tells its folders apart by more than the type
   * (an architecture name, a key) overrides it.
   */
  default boolean accepts(ModelConfig config) {
    return modelTypes().contains(config.modelType());
  }

  /**
   * Loads the weights (memory-mapped, converted to the compute type) into a scope of its own that
   * the model frees when closed.
   *
   * @throws org.neurite.api.NeuriteException naming the file and tensor when a weight is missing
   *     or has the wrong shape, or the config key when a setting is not supported
   */
  LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend);
}
