package org.neurite.provenance.h2.internal;

import java.sql.SQLException;

/** H2's error codes that the store reacts to, and looking for them in a cause chain. */
final class SqlErrors {
  private SqlErrors() {}

  static final int DUPLICATE_KEY = 23505;
  static final int WRONG_USER_OR_PASSWORD = 28000;
  static final int DATABASE_ALREADY_OPEN = 90020;
  static final int FILE_CORRUPTED = 90030;
  static final int ADMIN_RIGHTS_REQUIRED = 90040;
  static final int EXCEPTION_OPENING_PORT = 90061;
  static final int CONNECTION_BROKEN = 90067;

  /** The first SQLException in the chain with this error code, or null. */
  static SQLException find(Throwable e, int code) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() == code) {
        return s;
      }
    }
    return null;
  }

  static boolean has(Throwable e, int code) {
    return find(e, code) != null;
  }

  /** The message of the innermost cause, without H2's {@code [code-232]} suffix and SQL echo. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int sql = message.indexOf("; SQL statement:");
    if (sql >= 0) {
      message = message.substring(0, sql);
    }
    return message.replaceAll("\\s*\\[[\\d./-]+]$", "").strip();
  }
}
