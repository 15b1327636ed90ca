package org.neurite.models.family;

import java.util.Set;
import java.util.TreeSet;
import org.neurite.api.model.ModelConfig;

/**
 * The inverse frequencies of rotary embeddings for each rope type Hugging Face defines
 * ({@code modeling_rope_utils.py}): default, linear, dynamic (NTK), yarn, llama3 and longrope (Phi-3's
 * LongRoPE, also spelled {@code su}). Computed in
 * double precision; a float32 model rounds them to float32 as Hugging Face's buffers are.
 *
 * <p>The settings are read in both spellings ({@link RopeSettings}). Every key of the settings
 * must mean something to the rope type: a key Neurite would ignore is an error naming it, since an
 * ignored setting gives default frequencies and wrong numbers without a word.
 */
final class RopeFrequencies {
  private static final Set<String> ANY_TYPE = Set.of("rope_type", "type", "rope_theta", "partial_rotary_factor");

  private final String type;
  private final double base;
  private final int dim;
  private final double[] inverse;
  private final double attentionScaling;
  private final double dynamicFactor;
  private final int dynamicMaxPositions;
  /** longrope: the frequencies of sequences longer than the pre-training length, or null. */
  private double[] longInverse;
  private double longFrom;

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

  static RopeFrequencies fromSettings(RopeSettings settings, int dim) {
    ModelConfig s = settings.settings();
    String type = settings.type();
    double base = settings.theta();
    int maxPositions = settings.maxPositions();
    switch (type) {
      case "default":
        known(settings, Set.of());
        return new RopeFrequencies(type, base, dim, plain(base, dim), 1.0, 0, 0);
      case "linear": {
        known(settings, Set.of("factor"));
        double factor = required(settings, "factor");
        double[] inv = plain(base, dim);
        for (int i = 0; i < inv.length; i++) {
          inv[i] /= factor;
        }
        return new RopeFrequencies(type, base, dim, inv, 1.0, 0, 0);
      }
      case "dynamic": {
        // transformers grows the base from max_position_embeddings on; an original length that
        // differs from it would be a setting Neurite reads differently, so it is refused
        known(settings, Set.of("factor", "original_max_position_embeddings"));
        if (s.has("original_max_position_embeddings")
            && s.number("original_max_position_embeddings", 0) != maxPositions) {
          throw settings.unsupported("original_max_position_embeddings", "dynamic scaling grows the base from"
              + " max_position_embeddings (" + maxPositions + "); a different original length is not implemented");
        }
        return new RopeFrequencies(type, base, dim, plain(base, dim), 1.0, required(settings, "factor"), maxPositions);
      }
      case "llama3":
        known(settings, Set.of("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"));
        return new RopeFrequencies(type, base, dim, llama3(plain(base, dim), settings), 1.0, 0, 0);
      case "yarn":
        known(settings, Set.of("factor", "original_max_position_embeddings", "attention_factor", "beta_fast",
            "beta_slow", "mscale", "mscale_all_dim", "truncate"));
        return yarn(settings, base, dim);
      case "longrope":
      case "su":
        known(settings, Set.of("short_factor", "long_factor", "factor", "attention_factor",
            "original_max_position_embeddings"));
        return longrope(settings, base, dim);
      default:
        throw settings.unsupported(settings.settings().has("rope_type") ? "rope_type" : "type", "rope type '" + type
            + "' is not among those Neurite computes: default, linear, dynamic, yarn, llama3 and longrope");
    }
  }

  /** The inverse frequencies for sequences whose largest position id is {@code seqLen - 1}. */
  double[] inverseFrequencies(long seqLen) {
    if (longInverse != null && seqLen > longFrom) {
      return longInverse;
    }
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

  private static double[] llama3(double[] inv, RopeSettings settings) {
    double factor = required(settings, "factor");
    double low = required(settings, "low_freq_factor");
    double high = ConfigSizes.above(settings.settings(), "high_freq_factor", required(settings, "high_freq_factor"), low);
    double oldContext = settings.originalMaxPositions();
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

  private static RopeFrequencies yarn(RopeSettings settings, double base, int dim) {
    ModelConfig s = settings.settings();
    double original = settings.originalMaxPositions();
    // As current transformers does: the factor as given (not max/original, which made YaRN a
    // no-op for configs such as Qwen2.5's); only an explicit null falls back to that ratio.
    if (!s.keys().contains("factor")) {
      throw settings.missing("factor", "yarn");
    }
    double given = s.has("factor") ? s.number("factor", 1.0) : settings.maxPositions() / original;
    double factor = ConfigSizes.above(s, "factor", given, 0);
    double attention;
    if (s.has("attention_factor")) {
      attention = ConfigSizes.above(s, "attention_factor", s.number("attention_factor", 1.0), 0);
    } else if (nonZero(s, "mscale") && nonZero(s, "mscale_all_dim")) {
      attention = mscale(factor, s.number("mscale", 1)) / mscale(factor, s.number("mscale_all_dim", 1));
    } else {
      attention = mscale(factor, 1);
    }
    // Python's `x or default`: absent, null and 0 all give the default
    double betaFast = nonZero(s, "beta_fast") ? ConfigSizes.above(s, "beta_fast", s.number("beta_fast", 32), 0) : 32;
    double betaSlow = nonZero(s, "beta_slow") ? ConfigSizes.above(s, "beta_slow", s.number("beta_slow", 1), 0) : 1;
    // truncate defaults to true when absent; an explicit null is false, as in Python
    boolean truncate = !s.keys().contains("truncate") || s.has("truncate") && s.flag("truncate", true);
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

  /**
   * LongRoPE: {@code 1 / (ext * base^(2i / dim))} with the short factors as ext, or the long ones for
   * a batch whose largest position reaches the pre-training length (as transformers switches them);
   * the attention factor, unless given, is {@code sqrt(1 + log(s) / log(original))} for a scale s
   * above 1: max_position_embeddings over a top-level original_max_position_embeddings (Phi-3's
   * form), else the settings' factor.
   */
  private static RopeFrequencies longrope(RopeSettings settings, double base, int dim) {
    ModelConfig s = settings.settings();
    double[] shortFactor = factors(settings, "short_factor", dim);
    double[] longFactor = factors(settings, "long_factor", dim);
    double original;
    double factor;
    if (settings.config().has("original_max_position_embeddings")) {
      original = settings.originalMaxPositions();
      factor = settings.maxPositions() / original;
    } else {
      original = settings.maxPositions();
      factor = required(settings, "factor");
    }
    double attention = s.has("attention_factor")
        ? ConfigSizes.above(s, "attention_factor", s.number("attention_factor", 1.0), 0)
        : factor <= 1 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
    double[] plain = plain(base, dim);
    double[] shortInverse = new double[plain.length];
    double[] longInverse = new double[plain.length];
    for (int i = 0; i < plain.length; i++) {
      shortInverse[i] = plain[i] / shortFactor[i];
      longInverse[i] = plain[i] / longFactor[i];
    }
    RopeFrequencies f = new RopeFrequencies("longrope", base, dim, shortInverse, attention, 0, 0);
    f.longInverse = longInverse;
    f.longFrom = original;
    return f;
  }

  /** A list of one factor above 0 per rotated pair. */
  private static double[] factors(RopeSettings settings, String key, int dim) {
    double[] values = settings.settings().numbers(key).orElseThrow(() -> settings.missing(key, settings.type()));
    if (values.length != dim / 2) {
      throw settings.unsupported(key, "it has " + values.length + " factors; the rotary width " + dim + " needs "
          + dim / 2 + ", one per rotated pair");
    }
    for (double v : values) {
      ConfigSizes.above(settings.settings(), key, v, 0);
    }
    return values;
  }

  private static boolean nonZero(ModelConfig s, String key) {
    return s.has(key) && s.number(key, 0) != 0;
  }

  private static double mscale(double scale, double m) {
    return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
  }

  private static double correctionDim(double rotations, int dim, double base, double maxPositions) {
    return dim * Math.log(maxPositions / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
  }

  /** Every key of the settings is one this type reads, or one every type reads. */
  private static void known(RopeSettings settings, Set<String> used) {
    for (String key : settings.settings().keys()) {
      if (!used.contains(key) && !ANY_TYPE.contains(key)) {
        throw settings.unsupported(key, "rope type '" + settings.type() + "' has no setting '" + key
            + "' (it reads " + (used.isEmpty() ? "none besides rope_theta" : String.join(", ", new TreeSet<>(used)))
            + "); Neurite refuses it rather than ignore it and compute other frequencies than the model was trained with");
      }
    }
  }

  /** A setting the type needs: present, finite and above 0. */
  private static double required(RopeSettings settings, String key) {
    double value = settings.settings().optionalNumber(key).orElseThrow(() -> settings.missing(key, settings.type()));
    return ConfigSizes.above(settings.settings(), key, value, 0);
  }
}
