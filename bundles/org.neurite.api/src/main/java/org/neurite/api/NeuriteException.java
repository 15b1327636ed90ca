package org.neurite.api;

/**
 * An error the user caused and can fix: a bad path, bad JSON, a wrong shape, an unknown step, an
 * unavailable device. The message says what was wrong, where, and how to fix it; the console prints
 * it without a stack trace. Anything else thrown is a bug and is reported with its stack trace.
 */
public class NeuriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NeuriteException(String message) {
    super(message);
  }

  public NeuriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
