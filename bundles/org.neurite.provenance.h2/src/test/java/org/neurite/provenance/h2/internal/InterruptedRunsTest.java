package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepStatus;
import org.neurite.support.process.CurrentProcess;

class InterruptedRunsTest {
  @TempDir Path dir;
  private Database db;
  private H2ProvenanceStore store;
  private final ProcessIdentity self = CurrentProcess.identity();

  @BeforeEach
  void open() {
    db = TestStores.embedded(dir);
    store = new H2ProvenanceStore(db, TestStores.HEARTBEAT);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** The identity of a process of this host that has ended. */
  private ProcessIdentity deadProcess() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Instant started = child.info().startInstant().orElse(null);
    assertEquals(0, child.waitFor());
    assertFalse(child.isAlive());
    return new ProcessIdentity(self.user(), self.host(), child.pid(), started);
  }

  @Test
  void aRunOfADeadProcessOnThisHostIsInterruptedWithItsRunningStep() throws Exception {
    long dead = store.beginRun(TestStores.runStart("w", "{}", deadProcess()));
    long done = store.beginStep(TestStores.stepStart(dead, "a", "x.y", null));
    store.finishStep(done, StepFinish.succeeded(List.of(), java.time.Duration.ZERO));
    long halfway = store.beginStep(TestStores.stepStart(dead, "b", "x.y", null));
    long alive = store.beginRun(TestStores.runStart("w", "{}", self));

    assertEquals(List.of(dead), store.markInterrupted());
    assertEquals(RunStatus.INTERRUPTED, store.run(dead).orElseThrow().status());
    assertTrue(store.run(dead).orElseThrow().message().contains("ended without finishing"));
    assertEquals(StepStatus.INTERRUPTED, store.stepRecord(halfway).orElseThrow().status());
    assertEquals(StepStatus.SUCCEEDED, store.stepRecord(done).orElseThrow().status());
    assertEquals(RunStatus.RUNNING, store.run(alive).orElseThrow().status(), "this process is alive");
    assertEquals(List.of(), store.markInterrupted(), "marking again changes nothing");

    // the interrupted run can be resumed; its completed step stays
    store.resumeRun(dead, self);
    assertEquals(List.of(done), store.completedSteps(dead).stream().map(s -> s.id()).toList());
  }

  @Test
  void aReusedPidWithAnotherStartInstantIsNotTheSameProcess() {
    ProcessIdentity impostor = new ProcessIdentity(self.user(), self.host(), self.pid(),
        Instant.parse("2001-01-01T00:00:00Z"));
    long run = store.beginRun(TestStores.runStart("w", "{}", impostor));
    assertEquals(List.of(run), store.markInterrupted());
  }

  @Test
  void runsOfOtherHostsAreJudgedByTheirHeartbeat() {
    ProcessIdentity remote = new ProcessIdentity("alice", "not-" + self.host(), 1, null);
    // 31 s ago: older than three 10 s intervals by the database's clock
    long fresh = TestStores.runningRun(db, remote, 29);
    long stale = TestStores.runningRun(db, remote, 31);
    long staleStep = store.beginStep(TestStores.stepStart(stale, "a", "x.y", null));

    assertEquals(List.of(stale), store.markInterrupted());
    assertEquals(StepStatus.INTERRUPTED, store.stepRecord(staleStep).orElseThrow().status());
    assertEquals(RunStatus.RUNNING, store.run(fresh).orElseThrow().status());
    assertTrue(store.heartbeat(fresh));
    assertFalse(store.heartbeat(stale), "the interrupted run's process learns it from its heartbeat");
  }
}
