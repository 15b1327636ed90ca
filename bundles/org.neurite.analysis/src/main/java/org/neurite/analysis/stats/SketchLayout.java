package org.neurite.analysis.stats;

import org.neurite.api.NeuriteException;

/**
 * The fixed bin layout of the per-unit quantile sketch: symmetric, log-spaced bins read straight
 * from a value's float32 bits, so two sketches with the same layout merge by adding counts.
 *
 * <p>Magnitudes in {@code [2^minExponent, 2^maxExponent)} fall into {@code 2^subBinBits} equal bins
 * per octave (the top {@code subBinBits} bits of the float32 mantissa); a bin {@code [lo, hi)} has
 * {@code hi/lo <= 1 + 2^-subBinBits}. Bins run in value order: one bin for everything at or below
 * {@code -2^maxExponent}, the negative magnitude bins from large to small, one zero bin for
 * {@code |x| < 2^minExponent} (both zeros and subnormals), the positive magnitude bins, one bin for
 * everything at or above {@code 2^maxExponent} (a NaN counts in one of the two overflow bins).
 *
 * <p>Error bound: a quantile is reported as its bin's harmonic midpoint {@code 2·lo·hi/(lo+hi)},
 * clamped to the exact minimum and maximum; for an exact quantile {@code x} with
 * {@code 2^minExponent <= |x| < 2^maxExponent} the estimate is within {@link #relativeError()}
 * {@code = 1/(2^(subBinBits+1) + 1)} of {@code |x|} (plus float32 rounding, {@code 2^-24}, for
 * float64 input), and within {@code 2^minExponent} absolutely for {@code |x|} below the range.
 * Beyond {@code 2^maxExponent} only the clamp to the exact extremes holds.
 *
 * @param minExponent magnitudes below {@code 2^minExponent} count as zero
 * @param maxExponent magnitudes at or above {@code 2^maxExponent} go to the overflow bins
 * @param subBinBits bins per octave are {@code 2^subBinBits}; 0 to 10
 */
public record SketchLayout(int minExponent, int maxExponent, int subBinBits) {
  public SketchLayout {
    if (minExponent < -126 || maxExponent > 127 || minExponent >= maxExponent) {
      throw new NeuriteException("Sketch range 2^" + minExponent + " to 2^" + maxExponent + " is invalid: give"
          + " -126 <= minExponent < maxExponent <= 127 (the float32 exponent range), e.g. -14 and 14.");
    }
    if (subBinBits < 0 || subBinBits > 10) {
      throw new NeuriteException("Sketch subBinBits " + subBinBits + " is out of range: give 0 to 10 (bins per"
          + " octave = 2^subBinBits; 4 gives a relative error of 1/33).");
    }
  }

  /**
   * {@code 2^-14} (6.1e-5) to {@code 2^14} (16384), 16 bins per octave: relative error 1/33
   * (3.0%), 899 bins per unit and group.
   */
  public static SketchLayout standard() {
    return new SketchLayout(-14, 14, 4);
  }

  /** Magnitude bins on one side of zero. */
  public int magnitudeBins() {
    return (maxExponent - minExponent) << subBinBits;
  }

  /** All bins: two overflow bins, the zero bin, and the magnitude bins on both sides. */
  public int bins() {
    return 2 * magnitudeBins() + 3;
  }

  /** The zero bin's index. */
  public int zeroBin() {
    return magnitudeBins() + 1;
  }

  /** The bound on a quantile's relative error inside the range: {@code 1/(2^(subBinBits+1) + 1)}. */
  public double relativeError() {
    return 1.0 / ((1 << (subBinBits + 1)) + 1);
  }

  /** The smallest magnitude a magnitude bin holds: {@code 2^minExponent}. */
  public double smallestMagnitude() {
    return Math.scalb(1.0, minExponent);
  }

  private int shift() {
    return 23 - subBinBits;
  }

  private int firstKey() {
    return (minExponent + 127) << subBinBits;
  }

  /** The bin of a float32 value. */
  public int binOf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int key = (bits & 0x7fffffff) >>> shift();
    int magnitudes = magnitudeBins();
    int j = key - firstKey();
    if (j < 0) {
      return magnitudes + 1;
    }
    if (j >= magnitudes) {
      return bits < 0 ? 0 : 2 * magnitudes + 2;
    }
    return bits < 0 ? magnitudes - j : magnitudes + 2 + j;
  }

  /**
   * The value a bin stands for: the harmonic midpoint of its magnitude range with the bin's sign,
   * 0 for the zero bin, and {@code ±2^maxExponent} for the overflow bins (callers clamp to the
   * exact extremes).
   */
  public double representative(int bin) {
    int magnitudes = magnitudeBins();
    if (bin < 0 || bin >= bins()) {
      throw new IllegalArgumentException("bin " + bin + " outside 0.." + (bins() - 1));
    }
    if (bin == magnitudes + 1) {
      return 0;
    }
    if (bin == 0 || bin == 2 * magnitudes + 2) {
      double edge = Math.scalb(1.0, maxExponent);
      return bin == 0 ? -edge : edge;
    }
    boolean negative = bin <= magnitudes;
    int j = negative ? magnitudes - bin : bin - magnitudes - 2;
    double lo = Float.intBitsToFloat((firstKey() + j) << shift());
    double hi = Float.intBitsToFloat((firstKey() + j + 1) << shift());
    double mid = 2 * lo * hi / (lo + hi);
    return negative ? -mid : mid;
  }
}
