package org.neurite.models.family;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelConfig;
import org.neurite.support.config.JsonModelConfig;

/**
 * A config's rotary settings, read in both spellings as transformers 5.x reads them: the older
 * {@code rope_scaling} when it is a non-empty object (most Hub files, with a top-level
 * {@code rope_theta}), else the newer {@code rope_parameters} (which holds {@code rope_theta}
 * itself). The type is {@code rope_type}, else the older {@code type}, else default; theta is the
 * settings' own, else the top-level one, else 10000; the pre-training length for yarn and llama3
 * is a top-level {@code original_max_position_embeddings} (transformers gives it priority), else
 * the settings' one, else {@code max_position_embeddings}.
 *
 * <p>Settings per layer type ({@code rope_parameters: {"full_attention": {...},
 * "sliding_attention": {...}}}, Gemma 3) are read with {@link #forLayerType} (a family whose layers
 * differ asks {@link #perLayerType} first); a family that has one kind of layer refuses them by name.
 *
 * @param settings the settings object, empty if the config has none
 * @param name where they came from: {@code rope_scaling}, {@code rope_parameters}, or that and a layer type
 */
public record RopeSettings(ModelConfig config, ModelConfig settings, String name) {
  private static final double DEFAULT_THETA = 10000.0;

  /** The settings of a family whose layers all rotate alike. */
  public static RopeSettings of(ModelConfig config) {
    RopeSettings s = chosen(config);
    JsonObject json = JsonParser.parseString(s.settings.toJson()).getAsJsonObject();
    for (String key : s.settings.keys()) {
      if (json.get(key).isJsonObject()) {
        throw s.unsupported(key, "rope settings per layer type are not implemented for model_type '"
            + config.modelType() + "', whose layers all use one rotary embedding");
      }
    }
    return s;
  }

  /** Whether the config's rope settings are nested per layer type (Gemma 3's form in current transformers). */
  public static boolean perLayerType(ModelConfig config) {
    RopeSettings s = chosen(config);
    JsonObject json = JsonParser.parseString(s.settings.toJson()).getAsJsonObject();
    return s.settings.keys().stream().anyMatch(key -> json.get(key).isJsonObject());
  }

  /** The settings of one layer type, e.g. {@code sliding_attention}, from settings nested per layer type. */
  public static RopeSettings forLayerType(ModelConfig config, String layerType) {
    RopeSettings s = chosen(config);
    ModelConfig nested = s.settings.object(layerType).orElseThrow(() -> new NeuriteException(config.file()
        + ": " + s.name + " has no settings for the layer type '" + layerType + "'; it has " + s.settings.keys()
        + ". Give each layer type its settings, as transformers writes them."));
    return new RopeSettings(config, nested, s.name + "." + layerType);
  }

  private static RopeSettings chosen(ModelConfig config) {
    ModelConfig scaling = config.object("rope_scaling").orElse(null);
    if (scaling != null && !scaling.keys().isEmpty()) {
      return new RopeSettings(config, scaling, "rope_scaling");
    }
    ModelConfig parameters = config.object("rope_parameters").orElse(null);
    if (parameters != null) {
      return new RopeSettings(config, parameters, "rope_parameters");
    }
    return new RopeSettings(config, JsonModelConfig.of("{}", config.file() + " (no rope settings)"), "rope_scaling");
  }

  /** {@code rope_type}, else {@code type}, else {@code default}. */
  public String type() {
    return settings.string("rope_type").or(() -> settings.string("type")).orElse("default");
  }

  /** The base: above 1 (a base of 1 or less gives constant or growing frequencies, and yarn divides by its log). */
  public double theta() {
    ModelConfig where = settings.has("rope_theta") ? settings : config;
    return ConfigSizes.above(where, "rope_theta", where.number("rope_theta", DEFAULT_THETA), 1);
  }

  /** The fraction of each head that rotates: the settings' {@code partial_rotary_factor}, else the top-level one, else 1. */
  public double partialRotaryFactor() {
    ModelConfig where = settings.has("partial_rotary_factor") ? settings : config;
    double factor = ConfigSizes.above(where, "partial_rotary_factor", where.number("partial_rotary_factor", 1.0), 0);
    if (factor > 1) {
      throw where.unsupported("partial_rotary_factor", "it must be above 0 and at most 1, the fraction of each head"
          + " that rotates");
    }
    return factor;
  }

  int maxPositions() {
    return config.integer("max_position_embeddings", 2048);
  }

  double originalMaxPositions() {
    ModelConfig where = config.has("original_max_position_embeddings") ? config : settings;
    return ConfigSizes.above(where, "original_max_position_embeddings",
        where.number("original_max_position_embeddings", maxPositions()), 0);
  }

  NeuriteException unsupported(String key, String why) {
    return settings.unsupported(key, why);
  }

  NeuriteException missing(String key, String type) {
    return new NeuriteException(config.file() + ": " + name + " has no '" + key + "', which rope type '" + type
        + "' needs. Add it, as the model's original config.json has it.");
  }
}
