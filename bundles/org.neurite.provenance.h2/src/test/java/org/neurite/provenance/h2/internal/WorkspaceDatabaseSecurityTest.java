package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;

/**
 * Issue 8, item 1: nobody but the workspace's owner reaches its database, and Neurite's own
 * connection cannot run Java code in the database (no CREATE ALIAS).
 */
class WorkspaceDatabaseSecurityTest {
  @TempDir Path dir;

  private static final String CREATE_ALIAS =
      "CREATE ALIAS RUN_JAVA FOR 'java.lang.System.getProperty(java.lang.String)'";

  @Test
  void theDbFolderItsFilesAndTheCredentialsAreTheOwnersOnly() throws Exception {
    Path workspace = dir.resolve("ws");
    Files.createDirectories(workspace.resolve("db"));
    Files.setPosixFilePermissions(workspace.resolve("db"), PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Database db = TestStores.embedded(workspace)) {
      Path folder = workspace.resolve("db");
      assertEquals("rwx------", mode(folder));
      for (String name : List.of("neurite.mv.db", "neurite.lock.db", Credentials.FILE)) {
        assertEquals("rw-------", mode(folder.resolve(name)), name);
      }
    }
  }

  @Test
  void neuritesOwnConnectionMayNotCreateAnAlias() {
    try (Database db = TestStores.embedded(dir)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestStores.execute(db, CREATE_ALIAS));
      assertTrue(SqlErrors.has(e, SqlErrors.ADMIN_RIGHTS_REQUIRED), e::toString);
      assertFalse(Connections.isAdmin(db));
      assertEquals(EmbeddedDatabase.APPLICATION_USER,
          db.transaction("who", RunStates::currentUser));
    }
    // the store's own database is the same: the running platform has no admin rights
    H2ProvenanceStore store = TestStores.store(dir);
    store.close();
  }

  @Test
  void withoutThePasswordNoConnectionIsMade() {
    try (Database db = TestStores.embedded(dir)) {
      String url = Connections.embeddedUrl(dir);
      for (String user : List.of("SA", EmbeddedDatabase.APPLICATION_USER)) {
        SQLException e = assertThrows(SQLException.class, () -> Database.connect(url, user, "", 1).close());
        assertEquals(SqlErrors.WRONG_USER_OR_PASSWORD, e.getErrorCode(), user);
      }
    }
  }

  @Test
  void theEmbeddedServerListensOnLoopbackOnly() throws Exception {
    try (Database db = TestStores.embedded(dir)) {
      Properties lock = new Properties();
      lock.load(new StringReader(Files.readString(dir.resolve("db/neurite.lock.db"), StandardCharsets.ISO_8859_1)));
      int port = Integer.parseInt(lock.getProperty("server").replaceAll(".*:", ""));
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      }
      List<InetAddress> others = new ArrayList<>();
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback()) {
          others.addAll(Collections.list(nic.getInetAddresses()));
        }
      }
      Assumptions.assumeFalse(others.isEmpty(), "this machine has no network address besides loopback");
      for (InetAddress address : others) {
        try (Socket outside = new Socket()) {
          assertThrows(IOException.class, () -> outside.connect(new InetSocketAddress(address, port), 2000),
              "the server answered on " + address);
        }
      }
    }
  }

  /** Another OS user of the machine can neither read the server's key nor open the file. */
  @Test
  void anotherOsUserCannotReadTheKeyOrConnect() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as nobody");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs runuser");
    // everything up to db/ is open to others, as a home folder often is: db/'s own mode must protect it
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Path h2 = Files.copy(Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
        dir.resolve("h2.jar"));
    Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rw-r--r--"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    H2ProvenanceStore store = new H2ProvenanceStore(TestStores.embedded(workspace), TestStores.HEARTBEAT);
    try {
      long run = store.beginRun(TestStores.runStart("secret", "{}"));
      store.finishRun(run, RunStatus.SUCCEEDED, null);
      Path lock = workspace.resolve("db/neurite.lock.db");
      assertTrue(Files.exists(lock), "the server's lock file exists while the store is open");

      Result read = asNobody("cat", lock.toString());
      assertNotEquals(0, read.exit(), read.output());
      assertTrue(read.output().contains("Permission denied"), read.output());

      Result connect = asNobody(java.toString(), "-Dh2.bindAddress=127.0.0.1", "-cp", h2.toString(),
          "org.h2.tools.Shell", "-url", Connections.embeddedUrl(workspace), "-user", "SA", "-password", "",
          "-sql", "SELECT workflow_name FROM runs");
      assertFalse(connect.output().contains("secret"), connect.output());
      assertTrue(connect.output().matches("(?s).*(Permission denied|AccessDenied|Wrong user name or password).*"),
          connect.output());
    } finally {
      store.close();
    }
  }

  /** Item 1: a workspace whose database has sa with an empty password is upgraded in place. */
  @Test
  void aWorkspaceFromBeforeTheUpgradeKeepsEveryRunAndLosesTheEmptyPassword() {
    Path workspace = dir.resolve("old");
    long finished;
    long failed;
    try (Database old = new Database(Connections.embeddedUrl(workspace), "sa", "", 2, "(test)")) {
      // exactly what an earlier Neurite wrote: schema version 1, rows updated in place
      assertEquals(List.of(1), new Migrations(List.of("V1__initial_schema.sql"), Migrations.class).apply(old));
      finished = insertV1Run(old, "SUCCEEDED");
      failed = insertV1Run(old, "FAILED");
      TestStores.execute(old, "INSERT INTO step_records (run_id, step_id, step_name, bundle_symbolic_name, "
          + "bundle_version, params_json, status, started_at, ended_at, duration_ms) VALUES (" + failed
          + ", 'a', 'x.y', 'b', '1', '{}', 'SUCCEEDED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 5)");
      TestStores.execute(old, "INSERT INTO metrics (step_record_id, metric_name, metric_group, metric_value, "
          + "recorded_at) SELECT id, 'loss', '', 0.5, CURRENT_TIMESTAMP FROM step_records");
    }
    H2ProvenanceStore store = TestStores.store(workspace);
    try {
      assertEquals(List.of(failed, finished), store.listRuns(10).stream().map(r -> r.id()).toList());
      assertEquals(RunStatus.SUCCEEDED, store.run(finished).orElseThrow().status());
      assertEquals(1, store.runDetail(failed).orElseThrow().metrics().size());
      assertEquals(1, store.completedSteps(failed).size());
      // the old run is Neurite's own: it can be resumed and finished by the new store
      store.resumeRun(failed, TestStores.runStart("w", "{}").process());
      long step = store.beginStep(TestStores.stepStart(failed, "b", "x.y", null));
      store.finishStep(step, StepFinish.succeeded(List.of(), Duration.ZERO));
      store.finishRun(failed, RunStatus.SUCCEEDED, null);
      assertEquals(2, store.run(failed).orElseThrow().attempt());
    } finally {
      store.close();
    }
    SQLException e = assertThrows(SQLException.class,
        () -> Database.connect(Connections.embeddedUrl(workspace), "sa", "", 1).close());
    assertEquals(SqlErrors.WRONG_USER_OR_PASSWORD, e.getErrorCode());
  }

  @Test
  void lostCredentialsAreOneSentenceNamingTheFile() throws Exception {
    TestStores.embedded(dir).close();
    Files.delete(dir.resolve("db").resolve(Credentials.FILE));
    NeuriteException e = assertThrows(NeuriteException.class, () -> TestStores.embedded(dir));
    assertTrue(e.getMessage().contains("does not accept the passwords in " + dir.resolve("db").resolve(Credentials.FILE)),
        e.getMessage());
  }

  private static long insertV1Run(Database db, String status) {
    TestStores.execute(db, "INSERT INTO runs (workflow_name, workflow_text, workflow_sha256, params_json, "
        + "user_name, host, pid, status, started_at, ended_at, heartbeat_at) VALUES ('w', '{}', 'x', '{}', "
        + "'u', 'h', 1, '" + status + "', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
    return TestStores.count(db, "SELECT MAX(id) FROM runs");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private record Result(int exit, String output) {}

  private Result asNobody(String... command) throws Exception {
    List<String> full = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
    full.addAll(List.of(command));
    Path out = dir.resolve("nobody-" + System.nanoTime() + ".txt");
    Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command as nobody finished");
    return new Result(p.exitValue(), Files.readString(out));
  }
}
