package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepStatus;
import org.neurite.support.process.CurrentProcess;

/**
 * Issue 8, item 2: two lab users on one real H2 server (on loopback), each with only the grants the
 * documentation gives (role NEURITE_WRITER). Neither can change, delete or add to the other's
 * records; both read everything; the store's reads see the latest state.
 */
class LabPermissionsTest {
  @TempDir Path dir;
  private static final String SHA256_OF_ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private Server server;
  private String url;
  private H2ProvenanceStore alice;
  private H2ProvenanceStore bob;
  private Database bobSql;

  /** The configuration as ConfigAdmin would hand it over. */
  private record Config(String url, String user, String _password, String admin_user,
      String _admin_password) implements ProvenanceConfig {
    @Override
    public int heartbeat_seconds() {
      return 10;
    }

    @Override
    public int max_connections() {
      return 2;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return ProvenanceConfig.class;
    }
  }

  @BeforeEach
  void labServer() {
    server = startServer();
    url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/lab";
    // the lab's documented set-up (docs/provenance.md): the admin creates the roles and users...
    try (Database admin = new Database(url, "admin", "admin-secret", 2, "(test)")) {
      for (String sql : List.of("CREATE ROLE IF NOT EXISTS neurite_writer",
          "CREATE ROLE IF NOT EXISTS neurite_maintainer",
          "CREATE USER alice PASSWORD 'alice-secret'", "GRANT neurite_writer TO alice",
          "CREATE USER bob PASSWORD 'bob-secret'", "GRANT neurite_writer TO bob",
          "CREATE USER carol PASSWORD 'carol-secret'", "GRANT neurite_maintainer TO carol")) {
        TestStores.execute(admin, sql);
      }
    }
    // ...and the first start, with admin.user, creates the schema and the roles' rights
    alice = new H2ProvenanceStore(Connections.open(new Config(url, "alice", "alice-secret", "admin",
        "admin-secret"), "alice-secret", null), TestStores.HEARTBEAT);
    bob = new H2ProvenanceStore(Connections.open(new Config(url, "bob", "bob-secret", "", ""), "bob-secret", null),
        TestStores.HEARTBEAT);
    bobSql = new Database(url, "bob", "bob-secret", 2, "(test)");
  }

  private Server startServer() {
    try {
      return Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    bobSql.close();
    bob.close();
    alice.close();
    server.stop();
  }

  /** Alice's run: one succeeded step with a metric and an artifact, one failed step. */
  private record AliceRun(long run, long step, long failedStep) {}

  private AliceRun aliceRecordsARun() {
    long run = alice.beginRun(TestStores.runStart("alice-work", "{}"));
    long step = alice.beginStep(TestStores.stepStart(run, "scores", "neurons.lape", "memo-a"));
    alice.recordArtifact(step, "scores", "1/scores.json", SHA256_OF_ABC, 3);
    alice.recordMetric(step, "accuracy", "en", 0.9);
    alice.finishStep(step, StepFinish.succeeded(List.of(), Duration.ofMillis(5)));
    long failedStep = alice.beginStep(TestStores.stepStart(run, "eval", "eval.x", "memo-b"));
    alice.finishStep(failedStep, StepFinish.failed(new IllegalStateException("out of memory"), Duration.ofMillis(1)));
    alice.finishRun(run, RunStatus.FAILED, "eval failed");
    return new AliceRun(run, step, failedStep);
  }

  @Test
  void bobCannotRewriteOrDeleteAlicesRecordsWithSql() {
    AliceRun a = aliceRecordsARun();
    List<String> attempts = List.of(
        "UPDATE metrics SET metric_value = 0.1",
        "UPDATE runs SET user_name = 'bob'",
        "UPDATE run_states SET status = 'SUCCEEDED'",
        "UPDATE step_records SET params_json = '{}'",
        "DELETE FROM metrics",
        "DELETE FROM run_states",
        "DELETE FROM runs WHERE id = " + a.run(),
        // appending to Alice's run or steps, as bob or pretending to be alice
        "INSERT INTO run_states (run_id, seq, attempt, status, user_name, host, pid, recorded_at) VALUES ("
            + a.run() + ", 2, 1, 'SUCCEEDED', 'bob', 'h', 1, CURRENT_TIMESTAMP)",
        "INSERT INTO run_states (run_id, seq, owner, attempt, status, user_name, host, pid, recorded_at) "
            + "VALUES (" + a.run() + ", 2, 'ALICE', 1, 'SUCCEEDED', 'bob', 'h', 1, CURRENT_TIMESTAMP)",
        "INSERT INTO metrics (step_record_id, metric_name, metric_group, metric_value, recorded_at) VALUES ("
            + a.step() + ", 'accuracy', 'en', 0.1, CURRENT_TIMESTAMP)",
        "INSERT INTO step_records (run_id, step_id, step_name, bundle_symbolic_name, bundle_version, "
            + "params_json, status, started_at) VALUES (" + a.run() + ", 'x', 'x', 'b', '1', '{}', "
            + "'RUNNING', CURRENT_TIMESTAMP)",
        "INSERT INTO runs (owner, workflow_name, workflow_text, workflow_sha256, params_json, user_name, host, "
            + "pid, status, started_at, heartbeat_at) VALUES ('ALICE', 'w', '{}', 'x', '{}', 'alice', 'h', 1, "
            + "'RUNNING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "INSERT INTO step_states (step_record_id, status, recorded_at) VALUES (" + a.failedStep()
            + ", 'SUCCEEDED', CURRENT_TIMESTAMP)",
        "CREATE ALIAS RUN_JAVA FOR 'java.lang.System.getProperty(java.lang.String)'",
        "ALTER TABLE runs DROP CONSTRAINT runs_owner_is_writer");
    for (String sql : attempts) {
      assertThrows(IllegalStateException.class, () -> TestStores.execute(bobSql, sql), sql);
    }
    // Alice's record reads as she wrote it
    assertEquals(RunStatus.FAILED, alice.run(a.run()).orElseThrow().status());
    assertEquals("eval failed", bob.run(a.run()).orElseThrow().message());
    List<Metric> metrics = bob.runDetail(a.run()).orElseThrow().metrics();
    assertEquals(1, metrics.size());
    assertEquals(0.9, metrics.get(0).value());
    assertEquals(StepStatus.FAILED, bob.stepRecord(a.failedStep()).orElseThrow().status());
  }

  @Test
  void bobsStoreCannotResumeOrWriteToAlicesRunButCanReuseHerResults() throws Exception {
    AliceRun a = aliceRecordsARun();
    ProcessIdentity bobsProcess = new ProcessIdentity("bob", "bobs-host", 42, null);
    NeuriteException resume = assertThrows(NeuriteException.class, () -> bob.resumeRun(a.run(), bobsProcess));
    assertTrue(resume.getMessage().startsWith("Run " + a.run() + " was recorded by database user ALICE, so only "
        + "ALICE can resume it"), resume.getMessage());
    assertThrows(IllegalStateException.class, () -> bob.recordMetric(a.step(), "accuracy", "en", 0.1));
    assertThrows(IllegalStateException.class, () -> bob.finishRun(a.run(), RunStatus.SUCCEEDED, null));
    assertThrows(IllegalStateException.class, () -> bob.beginStep(TestStores.stepStart(a.run(), "x", "x.y", null)));

    // reading and reusing are shared: Bob's run takes Alice's step as its cached result
    long bobsRun = bob.beginRun(TestStores.runStart("bob-work", "{}", bobsProcess));
    long cached = bob.beginStep(TestStores.stepStart(bobsRun, "scores", "neurons.lape", "memo-a"));
    bob.finishStep(cached, StepFinish.cached(a.step(), List.of(), Duration.ZERO));
    bob.finishRun(bobsRun, RunStatus.SUCCEEDED, null);
    assertEquals(a.step(), bob.stepRecord(cached).orElseThrow().cachedFrom());
    assertEquals(1, bob.runDetail(bobsRun).orElseThrow().metrics().size(), "Alice's metric, shown for Bob's run");
    assertEquals(List.of(bobsRun, a.run()), alice.listRuns(10).stream().map(r -> r.id()).toList());
    java.nio.file.Files.createDirectories(dir.resolve("runs/1"));
    java.nio.file.Files.writeString(dir.resolve("runs/1/scores.json"), "abc");
    assertEquals(a.step(), bob.findReusable("memo-a", dir.resolve("runs")).map(h -> h.step().id()).orElse(-1L),
        "Bob's memo lookup finds Alice's step, its file being in Bob's runs folder too");
  }

  @Test
  void aliceResumesHerOwnRunAndAMaintainerCanDeleteButNotRewrite() {
    AliceRun a = aliceRecordsARun();
    alice.resumeRun(a.run(), CurrentProcess.identity());
    assertEquals(RunStatus.RUNNING, bob.run(a.run()).orElseThrow().status());
    assertTrue(alice.heartbeat(a.run()));
    alice.finishRun(a.run(), RunStatus.SUCCEEDED, null);
    assertEquals(2, bob.run(a.run()).orElseThrow().attempt());

    try (Database carol = new Database(url, "carol", "carol-secret", 2, "(test)")) {
      assertThrows(IllegalStateException.class,
          () -> TestStores.execute(carol, "UPDATE metrics SET metric_value = 0.1"), "corrections are new rows");
      TestStores.execute(carol, "DELETE FROM metrics WHERE step_record_id = " + a.step());
    }
    assertEquals(0, bob.runDetail(a.run()).orElseThrow().metrics().size());
  }

  @Test
  void aStaleRunOfAnotherUserIsLeftToThatUser() {
    ProcessIdentity gone = new ProcessIdentity("alice", "another-host", 1, null);
    long run;
    try (Database aliceSql = new Database(url, "alice", "alice-secret", 2, "(test)")) {
      run = TestStores.runningRun(aliceSql, gone, 120);
    }
    assertEquals(List.of(), bob.markInterrupted(), "Bob may not change Alice's run");
    assertEquals(RunStatus.RUNNING, bob.run(run).orElseThrow().status());
    assertEquals(List.of(run), alice.markInterrupted());
    assertEquals(RunStatus.INTERRUPTED, bob.run(run).orElseThrow().status());
  }

  @Test
  void anAdministratorIsRefusedAsTheRunningUser() {
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> Connections.open(new Config(url, "admin", "admin-secret", "", ""), "admin-secret", null));
    assertTrue(e.getMessage().contains("as admin, an administrator of that database"), e.getMessage());
  }
}
