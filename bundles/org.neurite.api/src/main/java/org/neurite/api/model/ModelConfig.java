package org.neurite.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model folder's {@code config.json}, read with typed accessors whose errors name the file and
 * the key. Nested objects such as {@code rope_scaling} are configs of their own. The platform
 * reads the file; a {@link org.neurite.api.family.ModelFamily} only asks it for values.
 */
@ProviderType
public interface ModelConfig {

  /** The file it was read from, or null for a config that was not read from a folder. */
  Path file();

  /** {@code model_type}, e.g. {@code llama}; empty if absent. */
  String modelType();

  /** {@code architectures}, e.g. {@code [LlamaForCausalLM]}; empty if absent. */
  List<String> architectures();

  /** Every key present, null-valued ones included, in the file's order. */
  Set<String> keys();

  /** Whether the key is present and not null. */
  boolean has(String key);

  /** A string value; an error naming the key if it is not one. */
  Optional<String> string(String key);

  /** A required integer: an error naming the file and key if absent or not an integer. */
  int integer(String key);

  int integer(String key, int fallback);

  OptionalInt optionalInteger(String key);

  double number(String key, double fallback);

  OptionalDouble optionalNumber(String key);

  boolean flag(String key, boolean fallback);

  /** A nested object, e.g. {@code rope_scaling}. */
  Optional<ModelConfig> object(String key);

  /** A list of numbers, e.g. {@code rope_scaling.long_factor}. */
  Optional<double[]> numbers(String key);

  /** An error about this config that names it: for values that are present but not supported. */
  NeuriteException unsupported(String key, String why);

  /** The JSON text, as read. */
  String toJson();
}
