package org.neurite.provenance.h2.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neurite.api.NeuriteException;

/**
 * Brings a database's schema up to the version this code understands by applying numbered SQL
 * scripts ({@code V1__initial_schema.sql}, {@code V2__...}) in order, each in its own transaction
 * together with its row in {@code schema_version}. A database newer than the code is refused.
 *
 * <p>H2 commits each DDL statement by itself, so a script is not atomic: scripts are written so
 * that every statement can run again ({@code IF NOT EXISTS}), and a script interrupted half-way
 * is simply applied again by the next start. Processes migrating at once take turns (see
 * {@link #apply}).
 */
final class Migrations {
  private static final System.Logger LOG = System.getLogger(Migrations.class.getName());
  /** H2's error codes for a statement the user has no right to run. */
  private static final int NOT_ENOUGH_RIGHTS = 90096;
  private static final int ADMIN_RIGHTS_REQUIRED = 90040;
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

  /** The scripts of this version of Neurite, in order; each is a resource next to this class. */
  static final List<String> SCRIPTS = List.of("V1__initial_schema.sql", "V2__owned_append_only_records.sql",
      "V3__gapless_run_ids.sql");

  /** One numbered script. */
  record Script(int version, String description, String resource) {}

  private final List<Script> scripts;
  private final Class<?> resourceBase;

  Migrations(List<String> names, Class<?> resourceBase) {
    this.resourceBase = resourceBase;
    this.scripts = parse(names);
  }

  /** The migrations shipped in this bundle. */
  static Migrations shipped() {
    return new Migrations(SCRIPTS, Migrations.class);
  }

  /** The schema version this code brings a database to. */
  int latestVersion() {
    return scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
  }

  /**
   * Applies every script newer than the database's version. Processes that migrate the same
   * database at once take turns: each holds a row lock on {@code schema_version}'s row 0 while it
   * reads the version and applies scripts over other connections.
   *
   * @return the versions applied by this call (empty when the schema was current)
   * @throws NeuriteException if the database was written by a newer Neurite
   */
  List<Integer> apply(Database db) {
    try {
      return migrate(db);
    } catch (IllegalStateException e) {
      if (hasErrorCode(e, NOT_ENOUGH_RIGHTS) || hasErrorCode(e, ADMIN_RIGHTS_REQUIRED)) {
        throw new NeuriteException("The provenance database " + db.url() + " needs its tables "
            + "created or upgraded (schema version " + latestVersion() + "), and this user may not "
            + "do that: " + rootMessage(e) + ". Put the database's admin account in admin.user and "
            + ".admin.password of conf/org.neurite.provenance.cfg for one start (docs/provenance.md, "
            + "lab mode), then remove them.", e);
      }
      throw e;
    }
  }

  private List<Integer> migrate(Database db) {
    bootstrap(db);
    if (db.transaction("reading schema_version", Migrations::currentVersion) == latestVersion()) {
      return List.of(); // current: no lock needed, so users who may not write schema_version pass
    }
    return db.transaction("migrating the schema", lock -> {
      try (Statement s = lock.createStatement()) {
        s.executeQuery("SELECT version FROM schema_version WHERE version = 0 FOR UPDATE").close();
      }
      int current = currentVersion(lock);
      if (current > latestVersion()) {
        throw new NeuriteException("The provenance database " + db.url() + " has schema version "
            + current + ", but this Neurite understands versions up to " + latestVersion()
            + ": it was written by a newer Neurite. Use that Neurite (or newer) with this database, "
            + "or point the configuration org.neurite.provenance (conf/org.neurite.provenance.cfg, "
            + "url=...) at another database.");
      }
      List<Integer> applied = new ArrayList<>();
      for (Script script : scripts) {
        if (script.version() > current) {
          applyOne(db, script);
          applied.add(script.version());
        }
      }
      return applied;
    });
  }

  /**
   * Creates {@code schema_version} and its lock row 0 if missing. H2 can fail a DDL statement that
   * races with the same statement on another connection ("object already exists"), so this is
   * tried a few times; once the table exists every try succeeds.
   */
  private static void bootstrap(Database db) {
    if (db.transaction("looking for schema_version", Migrations::lockRowExists)) {
      return; // nothing to create: users without the right to create tables get this far too
    }
    for (int attempt = 1; ; attempt++) {
      try {
        db.transaction("creating schema_version", c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                + "version INTEGER PRIMARY KEY, description VARCHAR(1000) NOT NULL, "
                + "script VARCHAR(1000) NOT NULL, applied_at TIMESTAMP(3) WITH TIME ZONE NOT NULL, "
                + "applied_by VARCHAR(255) NOT NULL)");
          }
          return null;
        });
        db.transaction("creating the migration lock row", c -> {
          try (Statement s = c.createStatement()) {
            s.execute("MERGE INTO schema_version (version, description, script, applied_at, applied_by)"
                + " KEY (version) VALUES (0, 'empty schema; its row is the migration lock', '-', "
                + "CURRENT_TIMESTAMP, '-')");
          }
          return null;
        });
        return;
      } catch (IllegalStateException e) {
        if (attempt == 5 || hasErrorCode(e, NOT_ENOUGH_RIGHTS) || hasErrorCode(e, ADMIN_RIGHTS_REQUIRED)) {
          throw e;
        }
        LOG.log(Level.DEBUG, "creating schema_version raced with another connection; trying again");
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static boolean lockRowExists(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = 'SCHEMA_VERSION'")) {
      rs.next();
      if (rs.getInt(1) == 0) {
        return false;
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version WHERE version = 0")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  /** The highest version recorded in {@code schema_version}, 0 for an empty database. */
  static int currentVersion(Database db) {
    return db.transaction("reading schema_version", Migrations::currentVersion);
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void applyOne(Database db, Script script) {
    List<String> statements = statements(read(script.resource()));
    db.transaction("applying " + script.resource(), c -> {
      try (Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO schema_version"
          + "(version, description, script, applied_at, applied_by) VALUES (?, ?, ?, CURRENT_TIMESTAMP, ?)")) {
        insert.setInt(1, script.version());
        insert.setString(2, script.description().replace('_', ' '));
        insert.setString(3, script.resource());
        insert.setString(4, System.getProperty("user.name", "unknown"));
        insert.executeUpdate();
      }
      return null;
    });
    LOG.log(Level.INFO, "Applied schema version " + script.version() + " (" + script.resource()
        + ") to " + db.url());
  }

  private static boolean hasErrorCode(Throwable e, int code) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() == code) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private String read(String resource) {
    try (InputStream in = resourceBase.getResourceAsStream("migrations/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("migration script migrations/" + resource
            + " is missing next to " + resourceBase.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a script into statements: drops {@code --} comment lines, splits at {@code ;}. */
  static List<String> statements(String script) {
    StringBuilder text = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        text.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String part : text.toString().split(";")) {
      if (!part.isBlank()) {
        statements.add(part.strip());
      }
    }
    return statements;
  }

  private static List<Script> parse(List<String> names) {
    List<Script> parsed = new ArrayList<>();
    int previous = 0;
    for (String name : names) {
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalArgumentException("migration script " + name + " is not named V<n>__<words>.sql");
      }
      int version = Integer.parseInt(m.group(1));
      if (version != previous + 1) {
        throw new IllegalArgumentException("migration script " + name + " follows version " + previous
            + "; versions must be 1, 2, 3, ... without gaps");
      }
      parsed.add(new Script(version, m.group(2), name));
      previous = version;
    }
    return List.copyOf(parsed);
  }
}
