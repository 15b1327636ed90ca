package org.neurite.testkit;

import java.lang.management.ManagementFactory;
import org.neurite.api.NeuriteException;

/**
 * What every fuzz input must end in: a result, or one {@link NeuriteException} whose message names
 * the file; and no more heap allocated by the parsing thread than a fixed amount plus a multiple of
 * the input's size. Any other exception escapes and is a finding.
 */
public final class FuzzBounds {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private FuzzBounds() {}

  /**
   * Runs {@code parse}; if it allocates more than {@code fixed + perByte * inputBytes}, runs it once
   * more and fails only if it does so again (the first run of a code path also loads and
   * instruments classes, which allocates on the same thread).
   */
  public static void check(long inputBytes, long perByte, long fixed, String mustName, Runnable parse) {
    long budget = fixed + perByte * inputBytes;
    long used = allocated(mustName, parse);
    if (used > budget && (used = allocated(mustName, parse)) > budget) {
      throw new AssertionError(used + " bytes allocated for an input of " + inputBytes + " bytes (budget " + budget
          + ")");
    }
  }

  private static long allocated(String mustName, Runnable parse) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      parse.run();
    } catch (NeuriteException e) {
      String message = e.getMessage();
      if (message == null || message.isBlank() || !message.contains(mustName)) {
        throw new AssertionError("the message does not name " + mustName + ": " + message, e);
      }
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
