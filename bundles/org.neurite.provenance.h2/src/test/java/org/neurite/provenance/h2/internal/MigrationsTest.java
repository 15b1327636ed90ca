package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

class MigrationsTest {
  @TempDir Path dir;

  private static final List<String> WITH_TEST_V4 = List.of("V1__initial_schema.sql",
      "V2__owned_append_only_records.sql", "V3__gapless_run_ids.sql", "V4__test_run_labels.sql");

  @Test
  void migratesAnEmptyDatabaseAndReopensWithoutChanges() {
    try (Database db = TestStores.plain(dir, 4)) {
      assertEquals(List.of(1, 2, 3), Migrations.shipped().apply(db));
      assertEquals(3, Migrations.currentVersion(db));
      assertEquals(3, TestStores.count(db, "SELECT COUNT(*) FROM schema_version WHERE version > 0"));
      for (String table : List.of("RUNS", "STEP_RECORDS", "STEP_INPUTS", "STEP_OUTPUTS", "ARTIFACTS",
          "SOURCES", "METRICS", "RUN_STATES", "RUN_HEARTBEATS", "STEP_STATES", "RUN_VIEW", "STEP_VIEW")) {
        assertEquals(1, TestStores.count(db, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_NAME = '" + table + "'"), table);
      }
    }
    try (Database db = TestStores.plain(dir, 4)) {
      assertEquals(List.of(), Migrations.shipped().apply(db));
      assertEquals(3, TestStores.count(db, "SELECT COUNT(*) FROM schema_version WHERE version > 0"));
    }
  }

  @Test
  void appliesNewerScriptsInOrderOnTopOfAnOlderSchema() {
    try (Database db = TestStores.plain(dir, 4)) {
      Migrations.shipped().apply(db);
      TestStores.execute(db, "INSERT INTO runs (workflow_name, workflow_text, workflow_sha256, "
          + "params_json, user_name, host, pid, status, started_at, heartbeat_at) VALUES "
          + "('w', '{}', 'x', '{}', 'u', 'h', 1, 'SUCCEEDED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
      assertEquals(List.of(4), new Migrations(WITH_TEST_V4, Migrations.class).apply(db));
      assertEquals(1, TestStores.count(db, "SELECT COUNT(*) FROM runs WHERE test_label IS NULL"));
      assertEquals(4, TestStores.count(db, "SELECT MAX(version) FROM schema_version"));
    }
  }

  /** Version 3 upgrades a version 2 database in place: every run is kept, and ids go on from the last. */
  @Test
  void version3KeepsEveryRunAndDrawsRunIdsOneAtATime() {
    try (Database db = TestStores.plain(dir, 4)) {
      new Migrations(Migrations.SCRIPTS.subList(0, 2), Migrations.class).apply(db);
      for (int i = 0; i < 3; i++) {
        TestStores.execute(db, "INSERT INTO runs (workflow_name, workflow_text, workflow_sha256, "
            + "params_json, user_name, host, pid, status, started_at, heartbeat_at) VALUES "
            + "('w', '{}', 'x', '{}', 'u', 'h', 1, 'SUCCEEDED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
      }
      assertEquals(32, TestStores.count(db, "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
          + "WHERE TABLE_NAME = 'RUNS' AND COLUMN_NAME = 'ID'"), "version 2: H2's default cache");
      assertEquals(List.of(3), Migrations.shipped().apply(db));
      assertEquals(1, TestStores.count(db, "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
          + "WHERE TABLE_NAME = 'RUNS' AND COLUMN_NAME = 'ID'"));
      assertEquals(3, TestStores.count(db, "SELECT COUNT(*) FROM runs"));
      TestStores.execute(db, "INSERT INTO runs (workflow_name, workflow_text, workflow_sha256, "
          + "params_json, user_name, host, pid, status, started_at, heartbeat_at) VALUES "
          + "('w', '{}', 'x', '{}', 'u', 'h', 1, 'SUCCEEDED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
      assertEquals(List.of(1L, 2L, 3L, 4L), db.transaction("ids", c -> Rows.list(c,
          "SELECT id FROM runs ORDER BY id", rs -> rs.getLong(1))));
    }
  }

  @Test
  void refusesADatabaseWrittenByANewerNeurite() {
    try (Database db = TestStores.plain(dir, 4)) {
      new Migrations(WITH_TEST_V4, Migrations.class).apply(db);
      NeuriteException e = assertThrows(NeuriteException.class, () -> Migrations.shipped().apply(db));
      assertTrue(e.getMessage().contains("schema version 4"), e.getMessage());
      assertTrue(e.getMessage().contains("up to 3"), e.getMessage());
      assertTrue(e.getMessage().contains(db.url()), e.getMessage());
    }
  }

  @Test
  void storeRefusesToOpenANewerDatabaseAndClosesIt() throws Exception {
    try (Database db = TestStores.plain(dir, 4)) {
      new Migrations(WITH_TEST_V4, Migrations.class).apply(db);
    }
    assertThrows(NeuriteException.class, () -> TestStores.store(dir));
    // the refused store released the file: it can be opened again
    try (Database db = TestStores.admin(dir)) {
      assertEquals(4, Migrations.currentVersion(db));
    }
  }

  @Test
  void concurrentMigrationsOfAnEmptyDatabaseRecordEachVersionOnce() throws Exception {
    // enough connections for four migrating threads, each holding one and applying over another
    try (Database db = TestStores.plain(dir, 8)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<List<Integer>>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          tasks.add(() -> Migrations.shipped().apply(db));
        }
        int applied = 0;
        for (Future<List<Integer>> f : pool.invokeAll(tasks)) {
          applied += f.get().size();
        }
        assertEquals(3, applied, "exactly one thread applied versions 1, 2 and 3");
      } finally {
        pool.shutdown();
      }
      assertEquals(3, TestStores.count(db, "SELECT COUNT(*) FROM schema_version WHERE version > 0"));
      assertEquals(3, Migrations.currentVersion(db));
    }
  }

  @Test
  void everyShippedScriptIsListedAndNamesAreChecked() throws Exception {
    Path folder = Path.of(Migrations.class.getResource("migrations/V1__initial_schema.sql").toURI()).getParent();
    try (Stream<Path> files = Files.list(folder)) {
      List<String> shipped = files.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("V4__test_")).sorted().toList();
      assertEquals(Migrations.SCRIPTS, shipped);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new Migrations(List.of("V1__a.sql", "V3__b.sql"), Migrations.class));
    assertThrows(IllegalArgumentException.class,
        () -> new Migrations(List.of("initial.sql"), Migrations.class));
  }

  @Test
  void splitsScriptsIntoStatementsWithoutComments() {
    assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i ON a(x)"),
        Migrations.statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\n"
            + "  -- another\nCREATE INDEX i ON a(x);\n"));
  }
}
