package org.neurite.models.family;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.function.IntPredicate;
import org.neurite.api.model.ModelConfig;

/**
 * Which layers attend through a sliding window: the config's {@code layer_types} (current
 * transformers writes one of {@code sliding_attention} or {@code full_attention} per layer) when it
 * has them, else the family's own rule. Any other layer type is an error naming it: Neurite
 * computes those two kinds only.
 */
public final class LayerTypes {
  /** The layer type whose layers attend through the sliding window. */
  public static final String SLIDING = "sliding_attention";
  /** The layer type whose layers attend to every earlier position. */
  public static final String FULL = "full_attention";

  private LayerTypes() {}

  /**
   * @param rule which layers slide when the config does not list {@code layer_types}
   * @return for each layer, whether it slides
   */
  public static boolean[] sliding(ModelConfig config, int layers, IntPredicate rule) {
    boolean[] sliding = new boolean[layers];
    if (!config.has("layer_types")) {
      for (int l = 0; l < layers; l++) {
        sliding[l] = rule.test(l);
      }
      return sliding;
    }
    JsonElement listed = JsonParser.parseString(config.toJson()).getAsJsonObject().get("layer_types");
    if (!listed.isJsonArray() || listed.getAsJsonArray().size() != layers) {
      throw config.unsupported("layer_types", "it must list one type per layer (" + layers + " layers)");
    }
    JsonArray types = listed.getAsJsonArray();
    for (int l = 0; l < layers; l++) {
      JsonElement type = types.get(l);
      String name = type.isJsonPrimitive() ? type.getAsString() : String.valueOf(type);
      if (!name.equals(SLIDING) && !name.equals(FULL)) {
        throw config.unsupported("layer_types", "layer " + l + " has type '" + name + "'; Neurite computes "
            + SLIDING + " and " + FULL + " layers only");
      }
      sliding[l] = name.equals(SLIDING);
    }
    return sliding;
  }
}
