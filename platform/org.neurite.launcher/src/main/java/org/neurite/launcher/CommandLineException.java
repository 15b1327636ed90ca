package org.neurite.launcher;

/**
 * A command line whose words do not fit the command (a wrong type, a missing argument); the
 * message names the argument, what it takes, and the usage.
 */
public final class CommandLineException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  CommandLineException(String message, Throwable gogo) {
    super(message, gogo);
  }
}
