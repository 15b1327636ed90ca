package org.neurite.analysis.stats;

/**
 * Chan, Golub and LeVeque's pairwise update of count, mean and M2: two sets of rows with
 * {@code (n_a, μ_a, M2_a)} and {@code (n_b, μ_b, M2_b)} give {@code n = n_a + n_b},
 * {@code δ = μ_b − μ_a}, {@code μ = μ_a + δ·n_b/n}, {@code M2 = M2_a + M2_b + δ²·n_a·n_b/n}.
 */
final class ChanUpdate {
  private ChanUpdate() {}

  /** Combines {@code length} cells from {@code offset} into {@code mean} and {@code m2} at the same offset. */
  static void combine(long na, double[] meanA, double[] m2A, long nb, double[] meanB, double[] m2B, int offset,
      int length, double[] mean, double[] m2) {
    long n = na + nb;
    double wb = n == 0 ? 0 : (double) nb / n;
    double cross = n == 0 ? 0 : (double) na * nb / n;
    for (int i = offset; i < offset + length; i++) {
      if (nb == 0) {
        mean[i] = meanA[i];
        m2[i] = m2A[i];
      } else if (na == 0) {
        mean[i] = meanB[i];
        m2[i] = m2B[i];
      } else {
        double delta = meanB[i] - meanA[i];
        mean[i] = meanA[i] + delta * wb;
        m2[i] = m2A[i] + m2B[i] + delta * delta * cross;
      }
    }
  }
}
