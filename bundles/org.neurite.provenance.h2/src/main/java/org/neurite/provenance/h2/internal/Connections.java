package org.neurite.provenance.h2.internal;

import java.nio.file.Path;
import org.neurite.api.NeuriteException;

/** Turns the configuration into an open {@link Database}. */
final class Connections {
  private Connections() {}

  /** Where the embedded database lives inside a workspace (H2 adds {@code .mv.db}). */
  static final String EMBEDDED_NAME = "db/neurite";

  private static final String CONFIG_HINT = "Check url, user and .password in "
      + "<workspace>/conf/org.neurite.provenance.cfg (configuration " + H2ProvenanceStore.PID
      + "); for a lab server, check that it is running and reachable (docs/provenance.md).";

  /**
   * Opens the configured database: the lab server when {@code url} is set, otherwise the
   * workspace's embedded file, shared with other processes of the same workspace through H2's
   * automatic mixed mode.
   *
   * @param password the configured password
   * @param workspace the framework property {@code neurite.workspace}, or null when not set
   */
  static Database open(ProvenanceConfig config, String password, String workspace) {
    String url = config.url() == null ? "" : config.url().trim();
    if (!url.isEmpty()) {
      if (!url.startsWith("jdbc:h2:")) {
        throw new NeuriteException("The provenance url '" + url + "' in configuration "
            + H2ProvenanceStore.PID + " is not an H2 JDBC URL; write url=jdbc:h2:tcp://host:9092/neurite "
            + "in <workspace>/conf/org.neurite.provenance.cfg, or remove the line to use the "
            + "workspace's own database.");
      }
      return new Database(url, config.user(), password, config.max_connections(), CONFIG_HINT);
    }
    if (workspace == null || workspace.isBlank()) {
      throw new NeuriteException("The provenance store needs the framework property "
          + H2ProvenanceStore.WORKSPACE_PROPERTY + " (the workspace folder) or a url in "
          + "configuration " + H2ProvenanceStore.PID + "; start Neurite with its launcher, which "
          + "sets the workspace.");
    }
    String user = config.user() == null || config.user().isBlank() ? "sa" : config.user();
    return new Database(embeddedUrl(Path.of(workspace)), user, password,
        config.max_connections(), CONFIG_HINT);
  }

  /**
   * The URL of a workspace's embedded database. {@code AUTO_SERVER=TRUE}: the first process to
   * open the file serves it to the others (a console and a {@code ./neurite run} side by side);
   * when that process exits another takes over.
   */
  static String embeddedUrl(Path workspace) {
    String file = workspace.toAbsolutePath().normalize().resolve(EMBEDDED_NAME).toString()
        .replace('\\', '/');
    if (file.contains(";")) {
      throw new NeuriteException("The workspace path " + workspace + " contains ';', which H2 "
          + "cannot take in a database URL; move or rename the workspace folder.");
    }
    // WRITE_DELAY=0: a commit reaches the file at once, so a run killed with -9 keeps what was recorded
    return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
  }
}
