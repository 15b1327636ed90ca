package org.neurite.models.internal.llama;

import org.neurite.api.model.ModelConfig;

/**
 * Which layers attend through a sliding window, as Hugging Face decides: Mistral windows every
 * layer when {@code sliding_window} is set; Qwen2 only with {@code use_sliding_window} and only
 * from layer {@code max_window_layers} on; Llama never.
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
        java.util.Arrays.fill(windows, window);
        break;
      case "qwen2":
        if (c.flag("use_sliding_window", false)) {
          int from = Math.max(0, c.integer("max_window_layers", layers));
          for (int l = from; l < layers; l++) {
            windows[l] = window;
          }
        }
        break;
      default:
        break;
    }
    return windows;
  }
}
