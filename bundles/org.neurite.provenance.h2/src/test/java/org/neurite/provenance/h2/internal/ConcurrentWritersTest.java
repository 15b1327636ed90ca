package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes write to one database at once, as a lab's users do: no row may be lost or
 * duplicated and nobody may deadlock. Each writer is a separate JVM ({@link ConcurrentWriter}).
 */
class ConcurrentWritersTest {
  @TempDir Path dir;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(300);

  @Test
  void fourProcessesWriteFiveHundredStepsEachToALabServer() throws Exception {
    Path baseDir = Files.createDirectories(dir.resolve("h2-server"));
    Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", baseDir.toString());
    server.start();
    try {
      assertTrue(server.getPort() > 0, "the server listens on a free port");
      String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/lab";
      try (Database admin = new Database(url, "admin", "admin-secret", 2, "(test)")) {
        Migrations.shipped().apply(admin);
        TestStores.execute(admin, "CREATE USER neurite PASSWORD 'lab-secret'");
        TestStores.execute(admin, "GRANT neurite_writer TO neurite");
      }
      writeAndCount(url, "neurite", "lab-secret", 4, 500);
    } finally {
      server.stop();
    }
  }

  @Test
  void twoProcessesShareAWorkspaceDatabaseInAutomaticMixedMode() throws Exception {
    Path workspace = dir.resolve("workspace");
    TestStores.embedded(workspace).close(); // creates the database, its users and credentials
    writeAndCount(Connections.embeddedUrl(workspace), EmbeddedDatabase.APPLICATION_USER,
        applicationPassword(workspace), 2, 100);
  }

  @Test
  void aRunGoesOnWhenTheProcessServingTheWorkspaceDatabaseExits() throws Exception {
    // this JVM opens the file first and so serves it; the writer connects through it
    Path workspace = dir.resolve("workspace");
    String url = Connections.embeddedUrl(workspace);
    Database server = TestStores.embedded(workspace);
    String password = applicationPassword(workspace);
    Writer writer = null;
    try {
      writer = new Writer(url, EmbeddedDatabase.APPLICATION_USER, password, "w", 600,
          dir.resolve("writer-handover.err"));
      writer.awaitLine("READY", READY_TIMEOUT);
      writer.go();
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      while (TestStores.count(server, "SELECT COUNT(*) FROM step_records") < 100) {
        assertTrue(System.nanoTime() < deadline && writer.process.isAlive(), writer.errors());
        Thread.sleep(50);
      }
    } finally {
      server.close(); // like closing the console while a run goes on in another terminal
    }
    System.out.println(writer.awaitLine("DONE", RUN_TIMEOUT) + " (served by this JVM until it closed)");
    assertTrue(writer.process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(0, writer.process.exitValue(), writer.errors());
    try (Database reopened = TestStores.embedded(workspace)) {
      assertEquals(600, TestStores.count(reopened, "SELECT COUNT(*) FROM step_view WHERE status = 'SUCCEEDED'"));
      assertEquals(600, TestStores.count(reopened, "SELECT COUNT(*) FROM step_records"));
      assertEquals(1, TestStores.count(reopened, "SELECT COUNT(*) FROM run_view WHERE status = 'SUCCEEDED'"));
    }
  }

  private void writeAndCount(String url, String user, String password, int writers, int steps)
      throws Exception {
    try (Database db = new Database(url, user, password, 2, "(test)")) {
      List<Writer> started = new ArrayList<>();
      try {
        for (int w = 0; w < writers; w++) {
          started.add(new Writer(url, user, password, "w" + w, steps, dir.resolve("writer-w" + w + ".err")));
        }
        for (Writer writer : started) {
          writer.awaitLine("READY", READY_TIMEOUT);
        }
        long go = System.nanoTime();
        for (Writer writer : started) {
          writer.go();
        }
        List<String> done = new ArrayList<>();
        for (Writer writer : started) {
          done.add(writer.awaitLine("DONE", RUN_TIMEOUT));
          assertTrue(writer.process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "writer exits");
          assertEquals(0, writer.process.exitValue(), writer.errors());
        }
        long wallMs = (System.nanoTime() - go) / 1_000_000;
        long total = (long) writers * steps;
        System.out.printf("%d writer processes x %d steps (4 transactions each) on %s: %d ms wall, "
            + "%.0f transactions/s; per writer: %s%n", writers, steps, url.replaceAll(";.*", ""), wallMs,
            total * 4 * 1000.0 / Math.max(1, wallMs), done);

        assertEquals(writers, TestStores.count(db, "SELECT COUNT(*) FROM runs"));
        assertEquals(writers, TestStores.count(db, "SELECT COUNT(*) FROM run_view WHERE status = 'SUCCEEDED' "
            + "AND ended_at IS NOT NULL"));
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM step_records"));
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM (SELECT DISTINCT run_id, step_id "
            + "FROM step_records)"), "no step recorded twice");
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM step_view "
            + "WHERE status = 'SUCCEEDED' AND ended_at IS NOT NULL"), "every step finished");
        assertEquals(writers, TestStores.count(db, "SELECT COUNT(*) FROM (SELECT run_id FROM step_records "
            + "GROUP BY run_id HAVING COUNT(*) = " + steps + ")"), "each run has all its steps");
        assertEquals(total, TestStores.count(db, "SELECT COUNT(DISTINCT path) FROM artifacts"));
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM artifacts"));
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM artifacts a JOIN step_records s "
            + "ON a.step_record_id = s.id AND a.run_id = s.run_id"), "each artifact on its own step's run");
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM metrics"));
        assertEquals(total, TestStores.count(db, "SELECT COUNT(*) FROM step_outputs"));
      } finally {
        for (Writer writer : started) {
          writer.process.destroyForcibly();
        }
      }
    }
  }

  private static String applicationPassword(Path workspace) {
    return Credentials.loadOrCreate(workspace.resolve("db").resolve(Credentials.FILE),
        new java.security.SecureRandom()).password();
  }

  /** One writer process and the lines it prints. */
  private static final class Writer {
    final Process process;
    final Path errors;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Writer(String url, String user, String password, String label, int steps, Path errors) throws IOException {
      this.errors = errors;
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      process = new ProcessBuilder(java.toString(), "-Xmx128m", "-Dh2.bindAddress=127.0.0.1",
          "-cp", classPath, ConcurrentWriter.class.getName(), url, user, password, label,
          Integer.toString(steps))
          .redirectError(errors.toFile())
          .start();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("READ FAILED " + e);
        }
      }, "writer-" + label + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    String awaitLine(String prefix, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          fail("writer exited with " + process.exitValue() + " before printing " + prefix + ": " + errors());
        }
      }
      fail("writer printed no " + prefix + " within " + timeout + ": " + errors());
      return null;
    }

    void go() throws IOException {
      OutputStream in = process.getOutputStream();
      in.write("GO\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    String errors() {
      try {
        return Files.exists(errors) ? Files.readString(errors) : "";
      } catch (IOException e) {
        return "(cannot read " + errors + ": " + e + ")";
      }
    }
  }
}
