package org.neurite.models.internal.gemma;

import org.neurite.api.model.ModelConfig;
import org.neurite.models.family.ConfigSizes;
import org.neurite.models.family.LayerTypes;
import org.neurite.models.family.Rope;
import org.neurite.models.family.RopeSettings;
import org.neurite.support.config.JsonModelConfig;

/**
 * Gemma 2 and 3's local and global layers, as transformers decides them: {@code layer_types} when
 * the config lists them; else Gemma 2 slides on even layers and Gemma 3 on every layer but each
 * {@code sliding_window_pattern}-th (6 by default). Gemma 3 rotates local layers with their own
 * base: {@code rope_local_base_freq} (default rope) with the older spelling, or the
 * {@code sliding_attention} settings of {@code rope_parameters} nested per layer type.
 */
final class GemmaLayers {
  /** The rotary embeddings of global ({@code full_attention}) and local ({@code sliding_attention}) layers. */
  record Ropes(Rope global, Rope local) {}

  private GemmaLayers() {}

  static boolean[] sliding(ModelConfig c, int layers) {
    if (c.modelType().equals("gemma2")) {
      return LayerTypes.sliding(c, layers, l -> l % 2 == 0);
    }
    int pattern = c.integer("sliding_window_pattern", 6);
    if (pattern < 1) {
      throw c.unsupported("sliding_window_pattern", "it must be a whole number from 1 (every layer global)");
    }
    return LayerTypes.sliding(c, layers, l -> (l + 1) % pattern != 0);
  }

  /** {@code sliding_window}: 4096 when absent, as the config classes default; null means no window. */
  static int window(ModelConfig c, boolean[] sliding) {
    if (!c.keys().contains("sliding_window")) {
      return 4096;
    }
    if (!c.has("sliding_window")) {
      return 0;
    }
    int window = c.integer("sliding_window");
    if (window < 1) {
      throw c.unsupported("sliding_window", "it must be a whole number from 1, or null for no window");
    }
    return window;
  }

  static Ropes gemma3Ropes(ModelConfig c, int dHead) {
    if (RopeSettings.perLayerType(c)) {
      RopeSettings global = RopeSettings.forLayerType(c, LayerTypes.FULL);
      RopeSettings local = RopeSettings.forLayerType(c, LayerTypes.SLIDING);
      if (c.has("rope_local_base_freq") && c.number("rope_local_base_freq", 0) != local.theta()) {
        throw c.unsupported("rope_local_base_freq", "it differs from the rope_theta of " + local.name() + " ("
            + local.theta() + "); say the local base once");
      }
      return new Ropes(Rope.fromSettings(global, dHead), Rope.fromSettings(local, dHead));
    }
    RopeSettings global = RopeSettings.of(c);
    if (!global.settings().has("rope_theta") && !c.has("rope_theta")) {
      throw new org.neurite.api.NeuriteException(c + " has no rope_theta; Gemma 3's global layers default to 1000000,"
          + " other models to 10000: write it in config.json, as Gemma 3's configs do.");
    }
    double localBase = ConfigSizes.above(c, "rope_local_base_freq", c.number("rope_local_base_freq", 10000.0), 1);
    RopeSettings local = new RopeSettings(c, JsonModelConfig.of("{\"rope_type\":\"default\",\"rope_theta\":"
        + localBase + "}", c + " (rope_local_base_freq)"), "rope_local_base_freq");
    return new Ropes(Rope.fromSettings(global, dHead), Rope.fromSettings(local, dHead));
  }
}
