package org.neurite.models.reference;

import java.util.Random;

/** Comparisons and inputs the reference tests share. */
final class RefAssert {
  private RefAssert() {}

  /** The largest |a - b| over all elements. */
  static double maxDiff(double[][] a, double[][] b) {
    if (a.length != b.length) {
      throw new AssertionError("row counts differ: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int t = 0; t < a.length; t++) {
      max = Math.max(max, maxDiff(a[t], b[t]));
    }
    return max;
  }

  /** The largest |a - b| over all elements. */
  static double maxDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** The largest |a| over all elements. */
  static double maxAbs(double[][] a) {
    double max = 0;
    for (double[] row : a) {
      for (double v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  /** {@code n} token ids in [0, vocab) from a seed. */
  static long[] ids(long seed, int n, int vocab) {
    Random r = new Random(seed);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = r.nextInt(vocab);
    }
    return ids;
  }

  /** Rows [from, to) of a matrix. */
  static double[][] rows(double[][] a, int from, int to) {
    double[][] y = new double[to - from][];
    System.arraycopy(a, from, y, 0, to - from);
    return y;
  }
}
