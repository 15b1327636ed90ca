package org.neurite.models.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.neurite.api.model.ModelConfig;

/**
 * Rotary position embedding in the Hugging Face convention: the two halves of each head are
 * rotated against each other ({@code rotate_half}, not interleaved pairs). Inverse frequencies
 * follow the rope settings in either spelling ({@link RopeSettings}, {@link RopeFrequencies}). A float32 model
 * computes angles in float32 as Hugging Face does; a float64 model in double precision.
 */
public final class Rope {
  private final RopeFrequencies frequencies;
  private final int rotaryDim;
  private final int headDim;

  private Rope(RopeFrequencies frequencies, int rotaryDim, int headDim) {
    this.frequencies = frequencies;
    this.rotaryDim = rotaryDim;
    this.headDim = headDim;
  }

  /** The rotary embedding a config describes whose layers all rotate alike, for heads of {@code headDim}. */
  public static Rope fromConfig(ModelConfig config, int headDim) {
    return fromSettings(RopeSettings.of(config), headDim);
  }

  /** The rotary embedding of some settings (e.g. one layer type's), for heads of {@code headDim}. */
  public static Rope fromSettings(RopeSettings settings, int headDim) {
    double partial = settings.partialRotaryFactor();
    int rotaryDim = (int) (headDim * partial);
    if (rotaryDim % 2 != 0 || rotaryDim <= 0) {
      ModelConfig where = settings.settings().has("partial_rotary_factor") ? settings.settings() : settings.config();
      throw where.unsupported("partial_rotary_factor", "it gives an odd or empty rotary width " + rotaryDim);
    }
    return new Rope(RopeFrequencies.fromSettings(settings, rotaryDim), rotaryDim, headDim);
  }

  /**
   * cos and sin for every position of the batch: two arrays [batch, pos, 1, rotary_dim] in
   * {@code type}, scaled by the attention factor some scalings use.
   */
  public NDArray[] cosSin(NDManager m, long[] positions, int batch, int length, DataType type) {
    long maxPosition = 0;
    for (long p : positions) {
      maxPosition = Math.max(maxPosition, p);
    }
    double[] inv = frequencies.inverseFrequencies(maxPosition + 1);
    double scaling = frequencies.attentionScaling();
    int half = rotaryDim / 2;
    Shape shape = new Shape(batch, length, 1, rotaryDim);
    if (type == DataType.FLOAT64) {
      double[] cos = new double[positions.length * rotaryDim];
      double[] sin = new double[cos.length];
      for (int p = 0; p < positions.length; p++) {
        for (int j = 0; j < half; j++) {
          double angle = positions[p] * inv[j];
          cos[p * rotaryDim + j] = cos[p * rotaryDim + j + half] = Math.cos(angle) * scaling;
          sin[p * rotaryDim + j] = sin[p * rotaryDim + j + half] = Math.sin(angle) * scaling;
        }
      }
      return new NDArray[] {m.create(cos, shape), m.create(sin, shape)};
    }
    float[] cos = new float[positions.length * rotaryDim];
    float[] sin = new float[cos.length];
    for (int p = 0; p < positions.length; p++) {
      for (int j = 0; j < half; j++) {
        float angle = (float) positions[p] * (float) inv[j];
        cos[p * rotaryDim + j] = cos[p * rotaryDim + j + half] = (float) Math.cos(angle) * (float) scaling;
        sin[p * rotaryDim + j] = sin[p * rotaryDim + j + half] = (float) Math.sin(angle) * (float) scaling;
      }
    }
    NDArray c = m.create(cos, shape);
    NDArray s = m.create(sin, shape);
    return type == DataType.FLOAT32 ? new NDArray[] {c, s}
        : new NDArray[] {c.toType(type, false), s.toType(type, false)};
  }

  /** Rotates x [batch, pos, heads, d_head]: {@code x cos + rotate_half(x) sin} on the rotary part. */
  public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    if (rotaryDim == headDim) {
      return rotate(x, cos, sin);
    }
    NDList parts = x.split(new long[] {rotaryDim}, 3);
    try (NDArray rotated = rotate(parts.get(0), cos, sin)) {
      NDArray joined = rotated.concat(parts.get(1), 3);
      parts.close();
      return joined;
    }
  }

  private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    NDList halves = x.split(2, 3);
    try (NDArray negated = halves.get(1).neg(); NDArray rotatedHalf = negated.concat(halves.get(0), 3);
        NDArray a = x.mul(cos); NDArray b = rotatedHalf.mul(sin)) {
      halves.close();
      return a.add(b);
    }
  }
}
