package org.neurite.models.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * Rotary position embeddings of the Llama family, written from the rope functions of Hugging Face
 * transformers 5.x ({@code modeling_rope_utils.py}: linear, dynamic NTK, YaRN and Llama 3; the plain
 * rope of the model's own rotary class) and from {@code apply_rotary_pos_emb}.
 *
 * <p>Every rope type starts from the plain frequencies f_i = theta^(-2i/d) for i &lt; d/2, d the head
 * dimension. A head vector is rotated in the rotate_half layout: component i and component i + d/2
 * form a pair turned by the angle position * f_i, and both cos and sin are multiplied by the rope
 * type's attention factor (only YaRN has one other than 1).
 *
 * <p>Reading config.json follows transformers 5.x: the rope settings are {@code rope_scaling} when it
 * is a non-empty object (older configs), else {@code rope_parameters}; theta is the settings' own
 * {@code rope_theta}, else the top-level one, else 10000; the type is {@code rope_type}, else the
 * older {@code type}, else default. For yarn and llama3 the pre-training length is a top-level
 * {@code original_max_position_embeddings} if the config has one (transformers gives it priority),
 * else the settings' one, else max_position_embeddings.
 *
 * <p>LongRoPE ({@code longrope}, or Phi-3's older {@code su}) divides each plain frequency by a
 * per-pair factor: {@code long_factor} when the sequence is longer than the pre-training length,
 * else {@code short_factor}; cos and sin are multiplied by {@code attention_factor} when given, else
 * sqrt(1 + ln s / ln L) for s &gt; 1 (1 otherwise), where L is the pre-training length and s is
 * max_position_embeddings / L when the config has a top-level original_max_position_embeddings (as
 * Phi-3's always has), else the settings' {@code factor}, else 1.
 *
 * <p>Families that turn only the leading part of each head (GPT-NeoX's rotary_pct, Phi-3's
 * partial_rotary_factor) build the rope with {@link #partial} over the rotated width and rotate with
 * {@link #rotate(double[][], int, int)}; the remaining components pass through unchanged.
 */
final class Rope {
  private static final double DEFAULT_THETA = 10000.0;

  private final String type;
  private final JsonObject settings;
  private final double theta;
  private final int dim;
  private final int maxPositions;
  private final double pretrainedPositions;
  private final boolean topLevelOriginal;

  private Rope(String type, JsonObject settings, double theta, int dim, int maxPositions, double pretrainedPositions,
      boolean topLevelOriginal) {
    this.type = type;
    this.settings = settings;
    this.theta = theta;
    this.dim = dim;
    this.maxPositions = maxPositions;
    this.pretrainedPositions = pretrainedPositions;
    this.topLevelOriginal = topLevelOriginal;
  }

  /** The rope of a config.json whose heads are {@code headDim} wide (head_dim, else hidden / heads). */
  static Rope fromConfig(HfConfig config, int headDim) {
    return build(config, headDim, false);
  }

  /**
   * The rope that turns the first {@code rotaryDim} components of each head (the family computes that
   * width from its own partial-rotary key); the settings' partial_rotary_factor is not consulted.
   */
  static Rope partial(HfConfig config, int rotaryDim) {
    return build(config, rotaryDim, true);
  }

  private static Rope build(HfConfig config, int headDim, boolean partialWidth) {
    JsonObject scaling = config.object("rope_scaling");
    JsonObject parameters = config.object("rope_parameters");
    JsonObject settings = scaling != null && scaling.size() > 0 ? scaling
        : parameters != null ? parameters : new JsonObject();
    for (Map.Entry<String, JsonElement> e : settings.entrySet()) {
      if (e.getValue().isJsonObject()) {
        throw new IllegalArgumentException("rope settings per layer type ('" + e.getKey()
            + "') are not supported by the reference");
      }
    }
    HfConfig s = new HfConfig(settings);
    // Llama, Mistral and Qwen2 rotate the whole head (their apply_rotary_pos_emb has no pass-through part),
    // so a partial rotary factor has no meaning for them; refuse it rather than guess.
    double partial = s.number("partial_rotary_factor", config.number("partial_rotary_factor", 1.0));
    if (partial != 1.0 && !partialWidth) {
      throw new IllegalArgumentException("partial_rotary_factor is not supported by the Llama-family reference");
    }
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new IllegalArgumentException("rope needs an even head dimension, got " + headDim);
    }
    String type = s.string("rope_type", s.string("type", "default"));
    double theta = s.number("rope_theta", config.number("rope_theta", DEFAULT_THETA));
    int maxPositions = config.integer("max_position_embeddings");
    double pretrained = config.number("original_max_position_embeddings",
        s.number("original_max_position_embeddings", maxPositions));
    Rope rope = new Rope(type, settings, theta, headDim, maxPositions, pretrained,
        config.has("original_max_position_embeddings"));
    rope.invFreq(maxPositions); // fails now on an unknown type or a missing required setting
    rope.invFreq(1); // and on either LongRoPE factor list, whichever length a run has
    rope.invFreq(Integer.MAX_VALUE);
    return rope;
  }

  String type() {
    return type;
  }

  /** A setting the rope type cannot do without. */
  private double required(String key) {
    HfConfig s = new HfConfig(settings);
    if (!s.has(key)) {
      throw new IllegalArgumentException("rope type " + type + " needs " + key);
    }
    return s.number(key, Double.NaN);
  }

  /** An optional setting where, as Python's {@code x or default}, absent, null and 0 all mean the default. */
  private double orDefault(String key, double fallback) {
    double v = new HfConfig(settings).number(key, 0.0);
    return v == 0.0 ? fallback : v;
  }

  /** theta^(-2i/d) for i = 0 .. d/2 - 1. */
  private double[] plainFrequencies(double base) {
    double[] f = new double[dim / 2];
    for (int i = 0; i < f.length; i++) {
      f[i] = Math.pow(base, -2.0 * i / dim);
    }
    return f;
  }

  /** The inverse frequencies in use for a sequence of {@code seqLen} positions (only dynamic depends on it). */
  double[] invFreq(int seqLen) {
    return switch (type) {
      case "default" -> plainFrequencies(theta);
      case "linear" -> linear();
      case "dynamic" -> dynamic(seqLen);
      case "yarn" -> yarn();
      case "llama3" -> llama3();
      case "longrope", "su" -> longrope(seqLen);
      default -> throw new IllegalArgumentException("rope type " + type
          + " is not supported by the reference (it computes default, linear, dynamic, yarn, llama3 and longrope)");
    };
  }

  /** Position interpolation: every frequency divided by the factor, i.e. positions squeezed by it. */
  private double[] linear() {
    double factor = required("factor");
    double[] f = plainFrequencies(theta);
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i] / factor;
    }
    return f;
  }

  /**
   * Dynamic NTK: up to max_position_embeddings the plain rope; a longer sequence of L positions uses
   * the plain formula with theta raised to theta * (factor * L / max - (factor - 1))^(d / (d - 2)).
   * (The model recomputes it when a forward pass reaches positions beyond what it has cached; a single
   * pass over L tokens from position 0 sees L.)
   */
  private double[] dynamic(int seqLen) {
    double factor = required("factor");
    double length = Math.max(seqLen, maxPositions);
    double growth = factor * length / maxPositions - (factor - 1.0);
    return plainFrequencies(theta * Math.pow(growth, dim / (dim - 2.0)));
  }

  /**
   * Llama 3.1: with L the pre-training length, a frequency whose wavelength 2pi/f exceeds
   * L / low_freq_factor is divided by the factor; one whose wavelength is below L / high_freq_factor
   * is kept; in between it is blended, the weight of the unscaled frequency growing linearly in L / wavelength
   * from 0 at low_freq_factor to 1 at high_freq_factor.
   */
  private double[] llama3() {
    double factor = required("factor");
    double lowFactor = required("low_freq_factor");
    double highFactor = required("high_freq_factor");
    double longest = pretrainedPositions / lowFactor;
    double shortest = pretrainedPositions / highFactor;
    double[] f = plainFrequencies(theta);
    for (int i = 0; i < f.length; i++) {
      double wavelength = 2.0 * Math.PI / f[i];
      if (wavelength > longest) {
        f[i] = f[i] / factor;
      } else if (wavelength >= shortest) {
        double keep = (pretrainedPositions / wavelength - lowFactor) / (highFactor - lowFactor);
        f[i] = keep * f[i] + (1.0 - keep) * f[i] / factor;
      }
    }
    return f;
  }

  /** LongRoPE: f_i / long_factor[i] beyond the pre-training length, else f_i / short_factor[i]. */
  private double[] longrope(int seqLen) {
    String key = seqLen > pretrainedPositions ? "long_factor" : "short_factor";
    if (!new HfConfig(settings).has(key)) {
      throw new IllegalArgumentException("rope type " + type + " needs " + key);
    }
    com.google.gson.JsonArray factors = settings.getAsJsonArray(key);
    double[] f = plainFrequencies(theta);
    if (factors.size() != f.length) {
      throw new IllegalArgumentException(key + " has " + factors.size() + " entries; the rotated width " + dim
          + " has " + f.length + " pairs");
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i] / factors.get(i).getAsDouble();
    }
    return f;
  }

  /** LongRoPE's gain of cos and sin (see the class comment). */
  private double longropeAttentionFactor() {
    HfConfig s = new HfConfig(settings);
    if (s.has("attention_factor")) {
      return s.number("attention_factor", Double.NaN);
    }
    double scale = topLevelOriginal ? maxPositions / pretrainedPositions : s.number("factor", 1.0);
    return scale <= 1.0 ? 1.0 : Math.sqrt(1.0 + Math.log(scale) / Math.log(pretrainedPositions));
  }

  /**
   * The YaRN scale factor, taken as the config gives it (transformers 5.x; older releases replaced it by
   * max_position_embeddings / original_max_position_embeddings whenever the latter was set). Only an
   * explicit null falls back to that ratio, as in transformers; a missing key is an error there too.
   */
  private double yarnFactor() {
    if (!settings.has("factor")) {
      throw new IllegalArgumentException("rope type yarn needs factor");
    }
    JsonElement factor = settings.get("factor");
    return factor.isJsonNull() ? maxPositions / pretrainedPositions : factor.getAsDouble();
  }

  /**
   * The pair index at which a frequency turns {@code turns} times over the pre-training length: solving
   * L * theta^(-2i/d) = 2pi * turns for i.
   */
  private double pairForTurns(double turns) {
    return dim * Math.log(pretrainedPositions / (2.0 * Math.PI * turns)) / (2.0 * Math.log(theta));
  }

  /**
   * YaRN ("NTK-by-parts"): pairs that turn at least beta_fast (default 32) times over the pre-training
   * length keep their frequency, pairs that turn at most beta_slow (default 1) times are divided by the
   * factor, and between the two the weight of the divided frequency rises linearly with the pair index.
   * The bounds are those pair indices, rounded outwards (floor the fast one, ceil the slow one) unless
   * {@code truncate} is false, then clipped to [0, d - 1] (d, not d/2, as transformers writes it). When
   * the bounds coincide transformers moves the upper one up by 0.001 so the ramp has a width; so does this.
   */
  private double[] yarn() {
    double factor = yarnFactor();
    double from = pairForTurns(orDefault("beta_fast", 32));
    double to = pairForTurns(orDefault("beta_slow", 1));
    // transformers reads truncate with a default of true, so only an explicit false or null turns rounding off
    boolean round = !settings.has("truncate")
        || !settings.get("truncate").isJsonNull() && settings.get("truncate").getAsBoolean();
    if (round) {
      from = Math.floor(from);
      to = Math.ceil(to);
    }
    from = Math.max(from, 0.0);
    to = Math.min(to, dim - 1.0);
    if (to == from) {
      to = to + 0.001;
    }
    double[] f = plainFrequencies(theta);
    for (int i = 0; i < f.length; i++) {
      double towardsScaled = Math.min(1.0, Math.max(0.0, (i - from) / (to - from)));
      f[i] = (1.0 - towardsScaled) * f[i] + towardsScaled * (f[i] / factor);
    }
    return f;
  }

  /**
   * What cos and sin are multiplied by. 1 except for yarn, where it is attention_factor when given,
   * else m(factor, mscale) / m(factor, mscale_all_dim) when both are given and non-zero, else
   * m(factor, 1), with m(s, k) = 1 + 0.1 * k * ln(s) for s &gt; 1 and 1 otherwise.
   */
  double attentionFactor() {
    if (type.equals("longrope") || type.equals("su")) {
      return longropeAttentionFactor();
    }
    if (!type.equals("yarn")) {
      return 1.0;
    }
    HfConfig s = new HfConfig(settings);
    if (s.has("attention_factor")) {
      return s.number("attention_factor", Double.NaN);
    }
    double factor = yarnFactor();
    double mscale = s.number("mscale", 0.0);
    double mscaleAllDim = s.number("mscale_all_dim", 0.0);
    if (mscale != 0.0 && mscaleAllDim != 0.0) {
      return magnitude(factor, mscale) / magnitude(factor, mscaleAllDim);
    }
    return magnitude(factor, 1.0);
  }

  private static double magnitude(double scale, double k) {
    return scale > 1.0 ? 1.0 + 0.1 * k * Math.log(scale) : 1.0;
  }

  /** position * f_i for every pair, with the frequencies of a sequence of {@code seqLen} positions. */
  double[] angles(double position, int seqLen) {
    double[] f = invFreq(seqLen);
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = position * f[i];
    }
    return out;
  }

  /** Rotates, in place, every head of every token; the token at row t has position t. x is [T][heads * d]. */
  void rotate(double[][] x, int heads) {
    rotate(x, heads, dim);
  }

  /**
   * Rotates, in place, the first d (the rope's width) of the {@code headWidth} components of every head
   * of every token, leaving the rest; the token at row t has position t. x is [T][heads * headWidth].
   */
  void rotate(double[][] x, int heads, int headWidth) {
    if (headWidth < dim) {
      throw new IllegalArgumentException("the rope turns " + dim + " components of heads " + headWidth + " wide");
    }
    double[] f = invFreq(x.length);
    double gain = attentionFactor();
    int half = dim / 2;
    for (int t = 0; t < x.length; t++) {
      for (int i = 0; i < half; i++) {
        double c = gain * Math.cos(t * f[i]);
        double s = gain * Math.sin(t * f[i]);
        for (int h = 0; h < heads; h++) {
          int first = h * headWidth + i;
          int second = first + half;
          double u = x[t][first];
          double v = x[t][second];
          // q * cos + rotate_half(q) * sin, rotate_half(q) = (-second half, first half)
          x[t][first] = u * c - v * s;
          x[t][second] = v * c + u * s;
        }
      }
    }
  }
}
