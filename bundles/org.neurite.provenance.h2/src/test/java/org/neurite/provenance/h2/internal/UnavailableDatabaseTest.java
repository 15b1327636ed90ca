package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

/**
 * Issue 8, item 4: a database that cannot be used is one sentence saying what is wrong and what to
 * do, within 5 s; without a loopback interface the workspace database works in one process.
 */
class UnavailableDatabaseTest {
  @TempDir Path dir;

  private static final long FIVE_SECONDS_MS = 5000;

  private record Config(String url, String user) implements ProvenanceConfig {
    @Override
    public String _password() {
      return "secret";
    }

    @Override
    public String admin_user() {
      return "";
    }

    @Override
    public String _admin_password() {
      return "";
    }

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

  @Test
  void aCorruptWorkspaceDatabaseNamesTheRecoveryCommand() throws Exception {
    TestStores.store(dir).close();
    Path file = dir.resolve("db/neurite.mv.db");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(new byte[8192]); // both file headers
    }
    long started = System.nanoTime();
    NeuriteException e = assertThrows(NeuriteException.class, () -> TestStores.store(dir));
    assertFasterThanFiveSeconds(started);
    assertTrue(e.getMessage().startsWith("The workspace database " + file + " is corrupt ("), e.getMessage());
    assertTrue(e.getMessage().contains(" org.h2.tools.Recover -dir " + dir.resolve("db") + " -db neurite`"),
        e.getMessage());
    assertOneSentence(e.getMessage());
  }

  @Test
  void aLabServerThatIsDownIsOneSentenceWithinFiveSeconds() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/lab";
    long started = System.nanoTime();
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> Connections.open(new Config(url, "alice"), "secret", null));
    assertFasterThanFiveSeconds(started);
    assertTrue(e.getMessage().startsWith("The lab's H2 server 127.0.0.1:" + port + " (url " + url
        + ") does not answer ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("; start it (docs/provenance.md, lab mode) or correct url in "
        + "<workspace>/conf/org.neurite.provenance.cfg."), e.getMessage());
    assertOneSentence(e.getMessage());
  }

  @Test
  void theServiceOfAnUnavailableDatabaseStartsAndEveryCallSaysWhy() {
    Database db = Database.unavailable("jdbc:h2:tcp://lab/x", new NeuriteException("The lab's H2 server is down."));
    H2ProvenanceStore store = new H2ProvenanceStore(db, TestStores.HEARTBEAT);
    NeuriteException e = assertThrows(NeuriteException.class, () -> store.listRuns(1));
    assertEquals("The lab's H2 server is down.", e.getMessage());
    assertThrows(NeuriteException.class, () -> store.beginRun(TestStores.runStart("w", "{}")));
    store.close();
  }

  @Test
  void anApplicationUserRefusedByTheSchemaIsUnavailableNotAFailedComponent() {
    NeuriteException e = assertThrows(NeuriteException.class, () -> H2ProvenanceStore.openOrUnavailable(
        new Config("jdbc:postgresql://db/x", "alice"), "secret", null).transaction("x", c -> null));
    assertTrue(e.getMessage().contains("is not an H2 JDBC URL"), e.getMessage());
  }

  /** Without a loopback interface (a network namespace where lo is down) one process still records. */
  @Test
  void withoutLoopbackTheWorkspaceDatabaseWorksInOneProcess() throws Exception {
    Process probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "unshare -n (a network namespace) is not permitted here");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("out.txt");
    long started = System.nanoTime();
    Process child = new ProcessBuilder("unshare", "-n", java.toString(), "-Dh2.bindAddress=127.0.0.1",
        "-cp", classPath, OneProcessWriter.class.getName(), dir.resolve("ws").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the writer finished");
    long millis = (System.nanoTime() - started) / 1_000_000;
    String output = Files.readString(out);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("RECORDED run 1 SUCCEEDED"), output);
    assertFalse(Files.exists(dir.resolve("ws/db/neurite.lock.db")) && Files.readString(
        dir.resolve("ws/db/neurite.lock.db")).contains("server="), "no TCP server was announced");
    System.out.println("without loopback: one-process store opened, wrote and closed in " + millis + " ms");
  }

  private static void assertFasterThanFiveSeconds(long startedNanos) {
    long millis = (System.nanoTime() - startedNanos) / 1_000_000;
    assertTrue(millis < FIVE_SECONDS_MS, "took " + millis + " ms");
  }

  /** One sentence: ends with a period and has no line break or second ". X" sentence start. */
  private static void assertOneSentence(String message) {
    assertTrue(message.endsWith("."), message);
    assertFalse(message.contains("\n"), message);
    assertTrue(List.of(message.split("\\. [A-Z]")).size() == 1, message);
  }
}
