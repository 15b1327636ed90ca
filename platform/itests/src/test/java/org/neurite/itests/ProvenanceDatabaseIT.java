package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/neurite when the provenance database cannot be used: one sentence with the fix and exit
 * status 2, quickly; and the workspace database kept private and working without a network.
 */
class ProvenanceDatabaseIT {
  @TempDir Path workspace;

  @Test
  void aCorruptDatabaseIsOneSentenceNamingTheRecoveryTool() throws Exception {
    assertEquals(0, Distribution.run(workspace, "runs").exitCode());
    try (RandomAccessFile file = new RandomAccessFile(workspace.resolve("db/neurite.mv.db").toFile(), "rw")) {
      file.write(new byte[8192]); // both headers
    }
    long started = System.nanoTime();
    Distribution.Result result = Distribution.run(workspace, "runs");
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("corrupt database: exit " + result.exitCode() + " after " + millis + " ms (process start to exit)");
    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(1, result.err().lines().count(), result::toString);
    assertTrue(result.err().startsWith("neurite: The workspace database " + workspace.resolve("db/neurite.mv.db")
        + " is corrupt"), result::toString);
    assertTrue(result.err().contains("org.h2.tools.Recover -dir " + workspace.resolve("db") + " -db neurite"),
        result::toString);
    assertEquals("", result.out(), result::toString);
  }

  @Test
  void aLabServerThatIsDownIsOneSentenceAndExitTwo() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.createDirectories(workspace.resolve("conf"));
    Files.writeString(workspace.resolve("conf/org.neurite.provenance.cfg"),
        "url=jdbc:h2:tcp://127.0.0.1:" + port + "/neurite\nuser=alice\n.password=secret\n");
    long started = System.nanoTime();
    Distribution.Result result = Distribution.run(workspace, "runs");
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("lab server down: exit " + result.exitCode() + " after " + millis + " ms (process start to exit)");
    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(1, result.err().lines().count(), result::toString);
    assertTrue(result.err().startsWith("neurite: The lab's H2 server 127.0.0.1:" + port), result::toString);
    assertFalse(result.err().contains("Exception"), result::toString);
  }

  @Test
  void aWorkflowIsRecordedWithoutAnyNetworkAndTheDatabaseStaysPrivate() throws Exception {
    Process probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "unshare -n (a network namespace) is not permitted on this machine");
    Distribution.Result run = Distribution.runWith(workspace, List.of("unshare", "-n"), "run", "workflows/quickstart.json");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("run 1 SUCCEEDED"), run::toString);
    Distribution.Result runs = Distribution.runWith(workspace, List.of("unshare", "-n"), "runs");
    assertTrue(runs.out().matches("(?s).*\\n\\s+1\\s+SUCCEEDED\\s+.*"), runs::toString);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(workspace.resolve("db"))));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(workspace.resolve("db/credentials.properties"))));
  }
}
