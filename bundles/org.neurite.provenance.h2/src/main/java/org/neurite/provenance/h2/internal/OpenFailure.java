package org.neurite.provenance.h2.internal;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.neurite.api.NeuriteException;

/** Turns H2's reason for not opening a database into one sentence that says what to do. */
final class OpenFailure {
  private OpenFailure() {}

  /**
   * Why the workspace's embedded database did not open.
   *
   * @param folder {@code <workspace>/db}
   */
  static NeuriteException embedded(Path folder, SQLException e) {
    Path file = folder.resolve("neurite.mv.db");
    String reason = SqlErrors.rootMessage(e);
    if (SqlErrors.has(e, SqlErrors.FILE_CORRUPTED)) {
      return new NeuriteException("The workspace database " + file + " is corrupt (" + reason
          + "); recover its records with `java -cp " + h2Jar() + " org.h2.tools.Recover -dir "
          + folder + " -db neurite` and load them into a new database as docs/provenance.md "
          + "(Recovering a corrupt database) describes.", e);
    }
    if (SqlErrors.has(e, SqlErrors.DATABASE_ALREADY_OPEN)) {
      return new NeuriteException("The workspace database " + file + " is open in another process "
          + "that does not share it (" + reason + "); wait for that Neurite to finish, or close it, "
          + "and start again.", e);
    }
    if (SqlErrors.has(e, SqlErrors.WRONG_USER_OR_PASSWORD)) {
      return new NeuriteException("The workspace database " + file + " does not accept the "
          + "passwords in " + folder.resolve(Credentials.FILE) + " (was that file replaced or "
          + "deleted?); restore it from the backup made with the database (docs/security.md).", e);
    }
    return new NeuriteException("Cannot open the workspace database " + file + ": " + reason
        + "; the workspace log (logs/neurite.log) has the details.", e);
  }

  /** Why a lab server's database did not open. */
  static NeuriteException lab(String url, String user, SQLException e, String configHint) {
    if (SqlErrors.has(e, SqlErrors.WRONG_USER_OR_PASSWORD)) {
      return new NeuriteException("Cannot open the provenance database " + url + " as user '" + user
          + "': the server refused this user name or password. " + configHint, e);
    }
    return new NeuriteException("Cannot open the provenance database " + url + " as user '" + user
        + "': " + SqlErrors.rootMessage(e) + ". " + configHint, e);
  }

  /** The H2 jar, for the recovery command: the one this bundle runs on. */
  static String h2Jar() {
    try {
      java.security.CodeSource source = org.h2.Driver.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation() != null) {
        String location = source.getLocation().toString();
        if (location.startsWith("file:") && location.endsWith(".jar")) {
          return Path.of(source.getLocation().toURI()).toString();
        }
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // fall back to the jar's name below
    }
    return "bundles/h2-2.3.232.jar";
  }
}
