package org.neurite.launcher;

/** A problem with how Neurite was started (bad arguments, unusable folders); printed without a stack trace. */
final class LaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LaunchException(String message) {
    super(message);
  }

  LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
