package org.neurite.models.internal.llama;

import java.util.Arrays;
import org.neurite.api.model.ModelConfig;
import org.neurite.models.family.LayerTypes;

/**
 * Which layers attend through a sliding window, as Hugging Face decides: Mistral windows every
 * layer when {@code sliding_window} is set; Qwen2 and Qwen3 only with {@code use_sliding_window},
 * and then the layers {@code layer_types} names sliding, else those from {@code max_window_layers}
 * on; Llama never.
 */
final class SlidingWindows {
  private SlidingWindows() {}

  static int[] of(ModelConfig c, int layers) {
    int[] windows = new int[layers];
    int window = c.integer("sliding_window", 0);
    if (window <= 0) {
      return windows;
    }
    switch (c.modelType()) {
      case "mistral":
        Arrays.fill(windows, window);
        break;
      case "qwen2":
      case "qwen3":
        if (c.flag("use_sliding_window", false)) {
          int from = Math.max(0, c.integer("max_window_layers", layers));
          boolean[] sliding = LayerTypes.sliding(c, layers, l -> l >= from);
          for (int l = 0; l < layers; l++) {
            windows[l] = sliding[l] ? window : 0;
          }
        }
        break;
      default:
        break;
    }
    return windows;
  }
}
