package org.neurite.bench;

import java.util.Arrays;

/** Wall-clock timings of repeated runs: median and spread, in milliseconds. */
final class Timing {
  private final double[] millis;
  private int count;

  Timing(int runs) {
    millis = new double[runs];
  }

  /** Times one run of {@code action}. */
  void time(ThrowingRunnable action) throws Exception {
    long started = System.nanoTime();
    action.run();
    millis[count++] = (System.nanoTime() - started) / 1e6;
  }

  /** Records one run timed elsewhere (inside Neurite). */
  void record(double runMillis) {
    millis[count++] = runMillis;
  }

  double median() {
    double[] sorted = Arrays.copyOf(millis, count);
    Arrays.sort(sorted);
    return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
  }

  double min() {
    return Arrays.stream(millis, 0, count).min().orElse(Double.NaN);
  }

  double max() {
    return Arrays.stream(millis, 0, count).max().orElse(Double.NaN);
  }

  @Override
  public String toString() {
    return String.format("median %.1f ms (min %.1f, max %.1f, %d runs)", median(), min(), max(), count);
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
