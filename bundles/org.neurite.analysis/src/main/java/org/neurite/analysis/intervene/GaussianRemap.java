package org.neurite.analysis.intervene;

/**
 * The Neuron Adjust remap of one value (skill unlearning, METHODS.md A3): with
 * {@code p1 = N(x; μ_r, σ_r)} and {@code p2 = N(x; μ_f, σ_f)}, if {@code p1 ≤ p2} and
 * {@code U ≥ p1/(p1+p2)}, x is mapped onto the retain distribution and reflected about its mean,
 * {@code x ← 2μ_r − (μ_r + σ_r (x − μ_f)/σ_f)}; otherwise it is left as it is. Computed in double.
 *
 * <p>The uniforms are counter-based (SplitMix64 of the seed and a key), so a remap is a value:
 * the same input gives the same output in any batch and any run.
 */
public final class GaussianRemap {
  private GaussianRemap() {}

  /** The remapped value, or {@code x} when the gate does not fire. */
  public static double remap(double x, double muR, double sR, double muF, double sF, double u) {
    double p1 = density(x, muR, sR);
    double p2 = density(x, muF, sF);
    if (p1 <= p2 && u >= p1 / (p1 + p2)) {
      return 2 * muR - (muR + sR * (x - muF) / sF);
    }
    return x;
  }

  /** The normal density {@code exp(−(x−μ)²/(2σ²)) / (σ√(2π))}. */
  public static double density(double x, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
  }

  /** A uniform in [0, 1) from a seed and two keys (SplitMix64 finaliser, 53 bits). */
  public static double uniform(long seed, long a, long b) {
    long h = mix(mix(seed ^ 0x9E3779B97F4A7C15L) ^ a);
    h = mix(h ^ b);
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
