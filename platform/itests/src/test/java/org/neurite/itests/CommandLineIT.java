package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/neurite COMMAND} as a user runs it: separate processes, exit codes, messages. */
class CommandLineIT {
  @TempDir static Path workspace;

  @Test
  void infoListsEveryBundleActive() throws Exception {
    Distribution.Result result = Distribution.run(workspace, "info");
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().contains("engine        PyTorch 2.7.1"), result::toString);
    long bundleLines = result.out().lines().filter(l -> l.matches("\\s*\\d+ \\w+\\s+.*")).count();
    long activeLines = result.out().lines().filter(l -> l.matches("\\s*\\d+ ACTIVE\\s+.*")).count();
    assertTrue(bundleLines >= 15, result::toString);
    assertEquals(bundleLines, activeLines, result::toString);
    String log = java.nio.file.Files.readString(workspace.resolve("logs/neurite.log"));
    assertTrue(log.contains("osgi.org.neurite.backend.djl: ServiceEvent REGISTERED"),
        "the OSGi log reaches the workspace log through org.neurite.logging");
  }

  @Test
  void infoWorksWithoutAnyNetwork() throws Exception {
    Process probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "unshare -n (a network namespace) is not permitted on this machine");
    Distribution.Result result = Distribution.runWith(workspace, List.of("unshare", "-n"), "info");
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().contains("PyTorch 2.7.1"), result::toString);
  }

  @Test
  void unknownCommandFailsWithExitCodeOne() throws Exception {
    Distribution.Result result = Distribution.run(workspace, "no-such-command");
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().contains("Command not found: no-such-command"), result::toString);
  }

  @Test
  void unavailableGpuIsOneMessageWithoutStackTrace() throws Exception {
    Distribution.Result result = Distribution.run(workspace, "selftest", "cuda:0");
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("error: Device cuda:0 is not available"), result::toString);
    assertFalse(result.err().contains("\tat "), result::toString);
  }

  @Test
  void badLauncherArgumentsExitWithTwo() throws Exception {
    Distribution.Result result = Distribution.runWith(Path.of("/dev/null/not-a-folder"), List.of(), "info");
    assertEquals(2, result.exitCode(), result::toString);
    assertTrue(result.err().contains("Cannot create the workspace"), result::toString);
  }
}
