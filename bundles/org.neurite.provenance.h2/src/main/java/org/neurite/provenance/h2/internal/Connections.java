package org.neurite.provenance.h2.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import org.neurite.api.NeuriteException;

/** Turns the configuration into an open {@link Database}. */
final class Connections {
  private Connections() {}

  /** Where the embedded database lives inside a workspace (H2 adds {@code .mv.db}). */
  static final String EMBEDDED_NAME = "db/neurite";

  static final String CONFIG_FILE = "<workspace>/conf/org.neurite.provenance.cfg";

  private static final String CONFIG_HINT = "Check url, user and .password in " + CONFIG_FILE
      + " (configuration " + H2ProvenanceStore.PID + "); for a lab server, check that it is "
      + "running and reachable (docs/provenance.md).";

  /**
   * Opens the configured database: the lab server when {@code url} is set, otherwise the
   * workspace's embedded file (see {@link EmbeddedDatabase}).
   *
   * @param password the configured password of {@code user}
   * @param workspace the workspace folder (the Workspace service's root), or null outside a workspace
   */
  static Database open(ProvenanceConfig config, String password, String workspace) {
    String url = config.url() == null ? "" : config.url().trim();
    if (!url.isEmpty()) {
      return lab(url, config, password);
    }
    if (workspace == null || workspace.isBlank()) {
      throw new NeuriteException("The provenance store needs the framework property "
          + "neurite.workspace (the workspace folder) or a url in "
          + "configuration " + H2ProvenanceStore.PID + "; start Neurite with its launcher, which "
          + "sets the workspace.");
    }
    return EmbeddedDatabase.open(Path.of(workspace), config.max_connections());
  }

  /**
   * A lab server: the schema is created or upgraded first when an admin account is configured
   * (on a connection closed right after), then the store connects as {@code user}, which must not
   * be an administrator of the database.
   */
  private static Database lab(String url, ProvenanceConfig config, String password) {
    if (!url.startsWith("jdbc:h2:")) {
      throw new NeuriteException("The provenance url '" + url + "' in configuration "
          + H2ProvenanceStore.PID + " is not an H2 JDBC URL; write url=jdbc:h2:tcp://host:9092/neurite "
          + "in " + CONFIG_FILE + ", or remove the line to use the workspace's own database.");
    }
    String user = config.user() == null ? "" : config.user().trim();
    if (user.isEmpty()) {
      throw new NeuriteException("Configuration " + H2ProvenanceStore.PID + " names the lab database "
          + url + " but no user; write user=... and .password=... (an account with role "
          + "NEURITE_WRITER, docs/security.md) in " + CONFIG_FILE + ".");
    }
    LabServer.requireAnswer(url, CONFIG_FILE);
    String adminUser = config.admin_user() == null ? "" : config.admin_user().trim();
    if (!adminUser.isEmpty()) {
      try (Database admin = Database.connect(url, adminUser, config._admin_password(), 2)) {
        Migrations.shipped().apply(admin);
      } catch (SQLException e) {
        throw OpenFailure.lab(url, adminUser, e, "Check admin.user and .admin.password in " + CONFIG_FILE + ".");
      }
    }
    Database db;
    try {
      db = Database.connect(url, user, password, config.max_connections());
    } catch (SQLException e) {
      throw OpenFailure.lab(url, user, e, CONFIG_HINT);
    }
    if (isAdmin(db)) {
      db.close();
      throw new NeuriteException("Configuration " + H2ProvenanceStore.PID + " connects to " + url
          + " as " + user + ", an administrator of that database, who could run Java code inside "
          + "every Neurite connected to it; connect as a user with role NEURITE_WRITER and give the "
          + "admin account only as admin.user and .admin.password, for schema upgrades "
          + "(docs/security.md).");
    }
    return db;
  }

  /** Whether the connected user is an administrator (may create aliases, i.e. run Java code). */
  static boolean isAdmin(Database db) {
    return db.transaction("checking the user's rights", c -> Rows.list(c,
        "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER",
        rs -> rs.getBoolean(1)).stream().anyMatch(Boolean::booleanValue));
  }

  /** The shared URL of a workspace's embedded database (see {@link #embeddedUrl(Path, boolean)}). */
  static String embeddedUrl(Path workspace) {
    return embeddedUrl(workspace, true);
  }

  /**
   * The URL of a workspace's embedded database. Shared ({@code AUTO_SERVER=TRUE}): the first
   * process to open the file serves it to the others (a console and a {@code ./neurite run} side by
   * side) on loopback; when that process exits another takes over. Its lock file is checked by
   * socket ({@code FILE_LOCK=SOCKET}): the holder answers on a loopback port, so after a crash the
   * next process sees at once that nobody does, where H2's default file method waited about 2 s more
   * (4 s in all) to be sure. Two processes never write the file at once either way: H2 also holds an
   * operating-system lock on it, which goes with the process. Not shared: this process alone.
   */
  static String embeddedUrl(Path workspace, boolean shared) {
    String file = workspace.toAbsolutePath().normalize().resolve(EMBEDDED_NAME).toString()
        .replace('\\', '/');
    if (file.contains(";")) {
      throw new NeuriteException("The workspace path " + workspace + " contains ';', which H2 "
          + "cannot take in a database URL; move or rename the workspace folder.");
    }
    return "jdbc:h2:file:" + file + (shared ? ";AUTO_SERVER=TRUE;FILE_LOCK=SOCKET" : "");
  }
}
