package org.neurite.api.model;

import java.util.Locale;
import java.util.Set;
import org.neurite.api.NeuriteException;

/**
 * How to load a model.
 *
 * @param device where it computes: {@code cpu}, {@code cuda:0}
 * @param dtype the compute type its weights are converted to: {@code float32} (default) or
 *     {@code float64} (for exact checks such as finite differences)
 */
public record LoadOptions(String device, String dtype) {
  /** The compute types a model can be loaded in. */
  public static final Set<String> DTYPES = Set.of("float32", "float64");

  public LoadOptions {
    device = device == null || device.isBlank() ? "cpu" : device.trim();
    dtype = dtype == null || dtype.isBlank() ? "float32" : dtype.trim().toLowerCase(Locale.ROOT);
    if (!DTYPES.contains(dtype)) {
      throw new NeuriteException("Unknown model dtype '" + dtype + "': load a model as float32 or float64."
          + " (Weights stored as float16 or bfloat16 are converted on load; computing in them on the CPU is"
          + " not supported.)");
    }
  }

  /** float32 on the CPU. */
  public static LoadOptions defaults() {
    return new LoadOptions("cpu", "float32");
  }
}
