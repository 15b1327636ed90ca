package org.neurite.provenance.h2.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Opens a workspace's own database, {@code <workspace>/db/neurite}, the safe way:
 * <ul>
 *   <li>{@code db/} and every file in it (the database, its lock file with the key of the embedded
 *       TCP server, the credentials) are readable by their owner only;</li>
 *   <li>the admin account ({@code SA}) has a generated password, used only here, on a connection
 *       closed before the store opens: to apply migrations and to create the application user;</li>
 *   <li>the store connects as {@value #APPLICATION_USER}, who holds role NEURITE_WRITER and no admin
 *       rights, so it cannot create aliases or triggers (Java code) or change the schema;</li>
 *   <li>other processes of the workspace share the file through H2's automatic mixed mode only when
 *       its server can listen on loopback alone; otherwise this process opens it by itself.</li>
 * </ul>
 * A database made by an earlier Neurite ({@code SA} with an empty password) is upgraded in place.
 */
final class EmbeddedDatabase {
  private static final System.Logger LOG = System.getLogger(EmbeddedDatabase.class.getName());

  static final String ADMIN = "SA";
  static final String APPLICATION_USER = "NEURITE";

  private EmbeddedDatabase() {}

  /** Opens the workspace's database as the application user, creating or upgrading it first. */
  static Database open(Path workspace, int maxConnections) {
    Path folder = workspace.toAbsolutePath().normalize().resolve("db");
    OwnerOnly.folder(folder);
    Credentials credentials = Credentials.loadOrCreate(folder.resolve(Credentials.FILE), new SecureRandom());
    Optional<String> noSharing = Loopback.problem();
    noSharing.ifPresent(why -> LOG.log(Level.INFO, "The workspace database is opened by this "
        + "process alone, without a server for other Neurite processes: " + why));
    String url = Connections.embeddedUrl(workspace, noSharing.isEmpty());
    try {
      // WRITE_DELAY=0 (a setting only the admin may make, kept in the file): a commit reaches the
      // file at once, so a run killed with -9 keeps what was recorded
      try (Database admin = admin(url + ";WRITE_DELAY=0", credentials)) {
        Migrations.shipped().apply(admin);
        applicationUser(admin, credentials);
        // opened while the admin's connection keeps the database open, which then closes
        Database db = Database.connect(url, APPLICATION_USER, credentials.password(), maxConnections);
        OwnerOnly.contents(folder);
        return db;
      }
    } catch (SQLException e) {
      throw OpenFailure.embedded(folder, e);
    } catch (IllegalStateException e) {
      // a transaction failed: the file's fault if H2 says so, otherwise a bug to show as such
      SQLException known = SqlErrors.find(e, SqlErrors.FILE_CORRUPTED);
      if (known == null) {
        known = SqlErrors.find(e, SqlErrors.DATABASE_ALREADY_OPEN);
      }
      if (known == null) {
        throw e;
      }
      throw OpenFailure.embedded(folder, known);
    }
  }

  /**
   * The admin connection. A database from before this upgrade still has {@code SA} with an empty
   * password: it gets the generated one (written to the credentials file before, so a crash in
   * between is repaired by the next start).
   */
  private static Database admin(String url, Credentials credentials) throws SQLException {
    try {
      return Database.connect(url, ADMIN, credentials.adminPassword(), 2);
    } catch (SQLException e) {
      if (e.getErrorCode() != SqlErrors.WRONG_USER_OR_PASSWORD) {
        throw e;
      }
      Database legacy;
      try {
        legacy = Database.connect(url, ADMIN, "", 2);
      } catch (SQLException legacyFailed) {
        e.addSuppressed(legacyFailed);
        throw e;
      }
      try (legacy) {
        legacy.transaction("setting the admin password", c -> {
          try (PreparedStatement ps = c.prepareStatement("ALTER USER " + ADMIN + " SET PASSWORD ?")) {
            ps.setString(1, credentials.adminPassword());
            ps.executeUpdate();
          }
          return null;
        });
      }
      LOG.log(Level.INFO, "The workspace database's admin account had an empty password; it now has "
          + "the generated one in db/" + Credentials.FILE);
      return Database.connect(url, ADMIN, credentials.adminPassword(), 2);
    }
  }

  /** Creates the application user, or brings its password and role up to date. */
  private static void applicationUser(Database admin, Credentials credentials) {
    admin.transaction("creating the application user", c -> {
      // one statement at a time: H2 resolves the user when a statement is prepared
      try (PreparedStatement create = c.prepareStatement(
          "CREATE USER IF NOT EXISTS " + APPLICATION_USER + " PASSWORD ?")) {
        create.setString(1, credentials.password());
        create.executeUpdate();
      }
      try (PreparedStatement password = c.prepareStatement(
          "ALTER USER " + APPLICATION_USER + " SET PASSWORD ?")) {
        password.setString(1, credentials.password());
        password.executeUpdate();
      }
      try (java.sql.Statement s = c.createStatement()) {
        s.executeUpdate("ALTER USER " + APPLICATION_USER + " ADMIN FALSE");
        s.executeUpdate("GRANT neurite_writer TO " + APPLICATION_USER);
      }
      return null;
    });
  }
}
