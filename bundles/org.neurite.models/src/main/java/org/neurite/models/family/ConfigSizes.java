package org.neurite.models.family;

import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorEntry;

/**
 * The sizes a family reads from config.json, checked before any array is made from them: each is a
 * whole number of at least 1, and none is larger than the checkpoint can back (a layer count above
 * its number of tensors, a width above its largest tensor), so a wrong or hostile config.json is one
 * message instead of an allocation of gigabytes or a division by zero. Real numbers are checked
 * the same way ({@link #epsilon}, {@link #above}): a norm's epsilon of -1 or a rope base of 1 would
 * otherwise give NaN or infinite activations without a word. A family plugin uses it as the
 * platform's families do.
 */
public final class ConfigSizes {
  private final ModelSource source;
  private final ModelConfig config;
  private long largest = -1;

  private ConfigSizes(ModelSource source) {
    this.source = source;
    this.config = source.config();
  }

  public static ConfigSizes of(ModelSource source) {
    return new ConfigSizes(source);
  }

  /** A number of layers: at most the number of tensors in the checkpoint. */
  public int layers(String key) {
    return checked(key, config.integer(key), source.tensors().names().size(), "tensors in the checkpoint");
  }

  /** A width (hidden size, heads, vocabulary...): at most the element count of the largest tensor. */
  public int width(String key) {
    return checked(key, config.integer(key), largest(), "elements in the checkpoint's largest tensor");
  }

  /** A width with a default when config.json does not give it. */
  public int width(String key, int fallback) {
    return checked(key, config.integer(key, fallback), largest(), "elements in the checkpoint's largest tensor");
  }

  /** A count that sizes nothing (e.g. the positions a rotary model may see): at least 1. */
  public int positive(String key, int fallback) {
    return checked(key, config.integer(key, fallback), Integer.MAX_VALUE, "");
  }

  /** A norm's epsilon and the like: a finite number above 0 and below 1. */
  public double epsilon(String key, double fallback) {
    double value = config.number(key, fallback);
    if (!(value > 0 && value < 1)) {
      throw outOfRange(config, key, value, "a finite number above 0 and below 1");
    }
    return value;
  }

  /**
   * A real number of a config or of its nested settings (e.g. {@code rope_scaling}) that must be
   * finite and above {@code bound}.
   */
  public static double above(ModelConfig settings, String key, double value, double bound) {
    if (!(value > bound) || Double.isInfinite(value)) {
      throw outOfRange(settings, key, value, "a finite number above " + (bound == Math.rint(bound)
          ? String.valueOf((long) bound) : String.valueOf(bound)));
    }
    return value;
  }

  private static NeuriteException outOfRange(ModelConfig settings, String key, double value, String range) {
    return new NeuriteException(settings + ": '" + key + "' is " + value + "; it must be " + range
        + ". Fix the value in config.json.");
  }

  private int checked(String key, int value, long limit, String what) {
    if (value < 1 || value > limit) {
      throw new NeuriteException(config + ": '" + key + "' is " + value + "; it must be a whole number from 1"
          + (limit < Integer.MAX_VALUE ? " to " + limit + " (the " + what + ")" : "")
          + ". Fix the value in config.json.");
    }
    return value;
  }

  private long largest() {
    if (largest < 0) {
      largest = 0;
      for (String name : source.tensors().names()) {
        TensorEntry entry = source.tensors().entry(name).orElseThrow();
        largest = Math.max(largest, entry.elements());
      }
    }
    return largest;
  }
}
