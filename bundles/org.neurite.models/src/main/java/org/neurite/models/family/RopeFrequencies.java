package org.neurite.models.family;

import org.neurite.api.model.ModelConfig;

/**
 * The inverse frequencies of rotary embeddings for each {@code rope_scaling} type Hugging Face
 * defines ({@code modeling_rope_utils.py}): default, linear, dynamic (NTK), yarn and llama3.
 * Computed in double precision; a float32 model rounds them to float32 as Hugging Face's buffers are.
 */
final class RopeFrequencies {
  private final String type;
  private final double base;
  private final int dim;
  private final double[] inverse;
  private final double attentionScaling;
  private final double dynamicFactor;
  private final int dynamicMaxPositions;

  private RopeFrequencies(String type, double base, int dim, double[] inverse, double attentionScaling,
      double dynamicFactor, int dynamicMaxPositions) {
    this.type = type;
    this.base = base;
    this.dim = dim;
    this.inverse = inverse;
    this.attentionScaling = attentionScaling;
    this.dynamicFactor = dynamicFactor;
    this.dynamicMaxPositions = dynamicMaxPositions;
  }

  static RopeFrequencies fromConfig(ModelConfig config, int dim) {
    double base = config.number("rope_theta", 10000.0);
    ModelConfig scaling = config.object("rope_scaling").orElse(null);
    String type = scaling == null ? "default"
        : scaling.string("rope_type").or(() -> scaling.string("type")).orElse("default");
    int maxPositions = config.integer("max_position_embeddings", 2048);
    switch (type) {
      case "default":
        return new RopeFrequencies(type, base, dim, plain(base, dim), 1.0, 0, 0);
      case "linear": {
        double factor = required(scaling, "factor");
        double[] inv = plain(base, dim);
        for (int i = 0; i < inv.length; i++) {
          inv[i] /= factor;
        }
        return new RopeFrequencies(type, base, dim, inv, 1.0, 0, 0);
      }
      case "dynamic": {
        int original = scaling.integer("original_max_position_embeddings", maxPositions);
        return new RopeFrequencies(type, base, dim, plain(base, dim), 1.0, required(scaling, "factor"), original);
      }
      case "llama3":
        return new RopeFrequencies(type, base, dim, llama3(plain(base, dim), scaling), 1.0, 0, 0);
      case "yarn":
        return yarn(config, scaling, base, dim, maxPositions);
      default:
        throw config.unsupported("rope_scaling", "rope type '" + type + "' is not among those Neurite computes: "
            + "default, linear, dynamic, yarn and llama3");
    }
  }

  /** The inverse frequencies for sequences whose largest position id is {@code seqLen - 1}. */
  double[] inverseFrequencies(long seqLen) {
    if (type.equals("dynamic") && seqLen > dynamicMaxPositions) {
      double scaledBase = base * Math.pow(dynamicFactor * seqLen / dynamicMaxPositions - (dynamicFactor - 1),
          dim / (dim - 2.0));
      return plain(scaledBase, dim);
    }
    return inverse;
  }

  double attentionScaling() {
    return attentionScaling;
  }

  /** {@code 1 / base^(arange(0, dim, 2) / dim)}. */
  static double[] plain(double base, int dim) {
    double[] inv = new double[dim / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = 1.0 / Math.pow(base, (double) (2 * i) / dim);
    }
    return inv;
  }

  private static double[] llama3(double[] inv, ModelConfig s) {
    double factor = required(s, "factor");
    double low = required(s, "low_freq_factor");
    double high = required(s, "high_freq_factor");
    double oldContext = required(s, "original_max_position_embeddings");
    double lowWavelen = oldContext / low;
    double highWavelen = oldContext / high;
    double[] out = new double[inv.length];
    for (int i = 0; i < inv.length; i++) {
      double wavelen = 2 * Math.PI / inv[i];
      double scaled = wavelen > lowWavelen ? inv[i] / factor : inv[i];
      boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
      if (medium) {
        double smooth = (oldContext / wavelen - low) / (high - low);
        scaled = (1 - smooth) * scaled / factor + smooth * scaled;
      }
      out[i] = scaled;
    }
    return out;
  }

  private static RopeFrequencies yarn(ModelConfig config, ModelConfig s, double base, int dim, int maxPositions) {
    // As current transformers does: the factor as given (not max/original, which made YaRN a
    // no-op for configs such as Qwen2.5's), the ramp over the original context length.
    double factor = required(s, "factor");
    int original = s.optionalInteger("original_max_position_embeddings").orElse(maxPositions);
    double attention;
    if (s.has("attention_factor")) {
      attention = s.number("attention_factor", 1.0);
    } else if (s.has("mscale") && s.has("mscale_all_dim")) {
      attention = mscale(factor, s.number("mscale", 1)) / mscale(factor, s.number("mscale_all_dim", 1));
    } else {
      attention = mscale(factor, 1);
    }
    double betaFast = s.has("beta_fast") ? s.number("beta_fast", 32) : 32;
    double betaSlow = s.has("beta_slow") ? s.number("beta_slow", 1) : 1;
    boolean truncate = s.flag("truncate", true);
    double low = correctionDim(betaFast, dim, base, original);
    double high = correctionDim(betaSlow, dim, base, original);
    if (truncate) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, dim - 1);
    if (low == high) {
      high += 0.001;
    }
    double[] inv = new double[dim / 2];
    for (int i = 0; i < inv.length; i++) {
      double posFreq = Math.pow(base, (double) (2 * i) / dim);
      double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
      double extrapolationFactor = 1 - ramp;
      inv[i] = 1.0 / (factor * posFreq) * (1 - extrapolationFactor) + 1.0 / posFreq * extrapolationFactor;
    }
    return new RopeFrequencies("yarn", base, dim, inv, attention, 0, 0);
  }

  private static double mscale(double scale, double m) {
    return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
  }

  private static double correctionDim(double rotations, int dim, double base, int maxPositions) {
    return dim * Math.log(maxPositions / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
  }

  private static double required(ModelConfig s, String key) {
    return s.optionalNumber(key).orElseThrow(() -> new org.neurite.api.NeuriteException(s + " has no '" + key
        + "', which this rope_scaling type needs."));
  }
}
