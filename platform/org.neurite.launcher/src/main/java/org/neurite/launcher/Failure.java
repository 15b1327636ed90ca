package org.neurite.launcher;

/** Tells a user's mistake (print its message) from a bug (print the stack trace too). */
final class Failure {
  private static final String USER_ERROR = "org.neurite.api.NeuriteException";

  private Failure() {}

  /** The NeuriteException in the cause chain, if any: its message is meant for the user. */
  static Throwable userError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getName().equals(USER_ERROR)) {
          return t;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** Gogo's own complaints about a command line (unknown command, wrong arguments) are user errors too. */
  static boolean isCommandLineError(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return failure instanceof CommandLineException || failure instanceof IllegalArgumentException
        && (message.startsWith("Command not found") || message.startsWith("Cannot coerce")
            || message.contains("usage:") || message.startsWith("Unable to"));
  }
}
