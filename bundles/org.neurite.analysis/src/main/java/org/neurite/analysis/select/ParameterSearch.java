package org.neurite.analysis.select;

import java.util.function.DoublePredicate;

/**
 * Binary search of a hyper-parameter to meet a count constraint (METHODS.md P5: A5's lambda, the
 * largest in [0, 0.2] such that no selected unit is general; A3's hypercube k*, the smallest that
 * covers every probe). The condition must be monotone over the interval.
 */
public final class ParameterSearch {
  private ParameterSearch() {}

  /**
   * The largest x in [lo, hi], to within {@code eps}, for which {@code ok} holds, given that it holds
   * for every x below some threshold; lo if it holds nowhere above lo.
   */
  public static double largest(double lo, double hi, double eps, DoublePredicate ok) {
    check(lo, hi, eps);
    if (ok.test(hi)) {
      return hi;
    }
    double good = lo;
    double bad = hi;
    while (bad - good > eps) {
      double mid = (good + bad) / 2;
      if (ok.test(mid)) {
        good = mid;
      } else {
        bad = mid;
      }
    }
    return good;
  }

  /**
   * The smallest x in [lo, hi], to within {@code eps}, for which {@code ok} holds, given that it holds
   * for every x above some threshold; hi if it holds nowhere below hi.
   */
  public static double smallest(double lo, double hi, double eps, DoublePredicate ok) {
    // the largest of the mirrored interval [-hi, -lo] under the mirrored condition
    return -largest(-hi, -lo, eps, x -> ok.test(-x));
  }

  private static void check(double lo, double hi, double eps) {
    if (!(lo < hi) || !(eps > 0)) {
      throw new IllegalArgumentException("search [" + lo + ", " + hi + "] with tolerance " + eps
          + ": the interval must be non-empty and the tolerance positive");
    }
  }

  /**
   * The bisection of A5's {@code autosweep.py}, step for step: {@code ok} is tried at lo and at hi
   * (the best so far is hi if it holds there, else lo if it holds there); then, while
   * {@code hi - lo > eps} and fewer than {@code maxIterations} steps were taken, the midpoint is
   * tried, and where it holds it becomes the best and the new lo, else the new hi. So even when hi
   * itself holds, the answer is the last midpoint that held (0.2 - 0.2/256 on [0, 0.2] with eps
   * 0.001, not 0.2): what the authors' code returns.
   *
   * @return the best value, or NaN if {@code ok} held nowhere it was tried
   */
  public static double bisectAsAutosweep(double lo, double hi, double eps, int maxIterations, DoublePredicate ok) {
    check(lo, hi, eps);
    double best = Double.NaN;
    if (ok.test(lo)) {
      best = lo;
    }
    if (ok.test(hi)) {
      best = hi;
    }
    for (int step = 0; hi - lo > eps && step < maxIterations; step++) {
      double mid = (lo + hi) / 2.0;
      if (ok.test(mid)) {
        best = mid;
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return best;
  }
}
