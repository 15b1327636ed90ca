package org.neurite.models.reference;

import com.google.gson.JsonObject;

/**
 * Rotary position embeddings as {@code modeling_rope_utils.py} computes their inverse frequencies and
 * {@code apply_rotary_pos_emb} applies them: rotate_half convention (dimension i pairs with
 * i + headDim/2), angle = position * inv_freq[i mod headDim/2], and cos and sin multiplied by the
 * rope type's attention factor. Rope types: default, linear, dynamic, yarn, llama3.
 */
final class Rope {
  private final String type;
  private final JsonObject params;
  private final double base;
  private final int dim;
  private final int maxPositions;

  private Rope(String type, JsonObject params, double base, int dim, int maxPositions) {
    this.type = type;
    this.params = params;
    this.base = base;
    this.dim = dim;
    this.maxPositions = maxPositions;
  }

  /**
   * From config.json: {@code rope_scaling} (type in {@code rope_type} or the older {@code type}) with
   * {@code rope_theta}, or the newer {@code rope_parameters} holding both.
   */
  static Rope fromConfig(HfConfig config, int headDim) {
    if (config.number("partial_rotary_factor", 1.0) != 1.0) {
      throw new IllegalArgumentException("partial_rotary_factor is not supported by the Llama-family reference");
    }
    JsonObject params = config.object("rope_parameters");
    double theta = config.number("rope_theta", 10000.0);
    if (params != null) {
      theta = new HfConfig(params).number("rope_theta", theta);
    } else {
      params = config.object("rope_scaling");
    }
    String type = "default";
    if (params != null) {
      HfConfig p = new HfConfig(params);
      type = p.string("rope_type", p.string("type", "default"));
    }
    int maxPositions = config.integer("max_position_embeddings");
    return new Rope(type, params == null ? new JsonObject() : params, theta, headDim, maxPositions);
  }

  String type() {
    return type;
  }

  private double param(String key) {
    HfConfig p = new HfConfig(params);
    if (!p.has(key)) {
      throw new IllegalArgumentException("rope type " + type + " needs " + key);
    }
    return params.get(key).getAsDouble();
  }

  private double param(String key, double fallback) {
    return new HfConfig(params).number(key, fallback);
  }

  /** The default inverse frequencies 1 / base^(2i / dim) for some base. */
  private double[] defaultInvFreq(double b) {
    double[] inv = new double[dim / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = 1.0 / Math.pow(b, (2.0 * i) / dim);
    }
    return inv;
  }

  /** The inverse frequencies for a sequence of {@code seqLen} positions (only dynamic depends on it). */
  double[] invFreq(int seqLen) {
    switch (type) {
      case "default":
        return defaultInvFreq(base);
      case "linear": {
        double[] inv = defaultInvFreq(base);
        double factor = param("factor");
        for (int i = 0; i < inv.length; i++) {
          inv[i] /= factor;
        }
        return inv;
      }
      case "dynamic": {
        double factor = param("factor");
        int len = Math.max(seqLen, maxPositions);
        double scaled = base * Math.pow(factor * len / maxPositions - (factor - 1), (double) dim / (dim - 2));
        return defaultInvFreq(scaled);
      }
      case "llama3":
        return llama3();
      case "yarn":
        return yarn();
      default:
        throw new IllegalArgumentException("rope type " + type + " is not supported by the reference");
    }
  }

  private double[] llama3() {
    double[] inv = defaultInvFreq(base);
    double factor = param("factor");
    double low = param("low_freq_factor");
    double high = param("high_freq_factor");
    double oldContext = param("original_max_position_embeddings");
    double lowWavelen = oldContext / low;
    double highWavelen = oldContext / high;
    for (int i = 0; i < inv.length; i++) {
      double wavelen = 2 * Math.PI / inv[i];
      if (wavelen > lowWavelen) {
        inv[i] = inv[i] / factor;
      } else if (wavelen >= highWavelen) {
        double smooth = (oldContext / wavelen - low) / (high - low);
        inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
      }
    }
    return inv;
  }

  /**
   * YaRN as current transformers computes it: {@code factor} as given; the correction range from
   * beta_fast/beta_slow (32/1) over rope_scaling's original_max_position_embeddings, or else
   * max_position_embeddings; floor/ceil unless {@code truncate} is false. (Releases before the fix of
   * transformers issue 38224 replaced factor by max_position_embeddings / original_max_position_embeddings
   * whenever the latter was given; the tiny checkpoints never set it, so both agree there.)
   */
  private double[] yarn() {
    double factor = param("factor");
    double original = param("original_max_position_embeddings", maxPositions);
    double betaFast = param("beta_fast", 32);
    double betaSlow = param("beta_slow", 1);
    boolean truncate = new HfConfig(params).bool("truncate", true);
    double low = correctionDim(betaFast, original);
    double high = correctionDim(betaSlow, original);
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
      double posFreq = Math.pow(base, (2.0 * i) / dim);
      double ramp = Math.min(1.0, Math.max(0.0, (i - low) / (high - low)));
      double extrapolationWeight = 1 - ramp;
      inv[i] = (1.0 / (factor * posFreq)) * (1 - extrapolationWeight) + (1.0 / posFreq) * extrapolationWeight;
    }
    return inv;
  }

  private double correctionDim(double rotations, double maxPos) {
    return dim * Math.log(maxPos / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
  }

  /** The factor cos and sin are multiplied by: 1, except for yarn. */
  double attentionFactor() {
    if (!type.equals("yarn")) {
      return 1.0;
    }
    HfConfig p = new HfConfig(params);
    if (p.has("attention_factor")) {
      return param("attention_factor");
    }
    double factor = param("factor");
    if (p.has("mscale") && p.has("mscale_all_dim") && param("mscale") != 0 && param("mscale_all_dim") != 0) {
      return mscale(factor, param("mscale")) / mscale(factor, param("mscale_all_dim"));
    }
    return mscale(factor, 1.0);
  }

  private static double mscale(double scale, double m) {
    return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
  }

  /** The rotation angles position * inv_freq for one position of a sequence of {@code seqLen}. */
  double[] angles(double position, int seqLen) {
    double[] inv = invFreq(seqLen);
    double[] a = new double[inv.length];
    for (int i = 0; i < inv.length; i++) {
      a[i] = position * inv[i];
    }
    return a;
  }

  /** Rotates every head of every token in place; token t has position t. x is [T][heads * dim]. */
  void rotate(double[][] x, int heads) {
    double[] inv = invFreq(x.length);
    double scale = attentionFactor();
    int half = dim / 2;
    for (int t = 0; t < x.length; t++) {
      for (int h = 0; h < heads; h++) {
        int o = h * dim;
        for (int i = 0; i < half; i++) {
          double angle = t * inv[i];
          double cos = Math.cos(angle) * scale;
          double sin = Math.sin(angle) * scale;
          double a = x[t][o + i];
          double b = x[t][o + i + half];
          x[t][o + i] = a * cos - b * sin;
          x[t][o + i + half] = b * cos + a * sin;
        }
      }
    }
  }
}
