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

  /** Acceptance: a mistyped command is answered at once (it waited 10 s before), with the closest names. */
  @Test
  void mistypedCommandIsAnsweredAtOnceWithTheClosestNames() throws Exception {
    Distribution.Result result = Distribution.runWith(workspace, java.util.Map.of("NEURITE_TIMING", "1"), "rnu");
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("error: Command not found: rnu; did you mean run?"), result::toString);
    java.util.regex.Matcher timing = java.util.regex.Pattern.compile("command (\\d+) ms").matcher(result.err());
    assertTrue(timing.find(), result::toString);
    long millis = Long.parseLong(timing.group(1));
    System.out.println("mistyped command, from boot to answer: " + millis + " ms");
    assertTrue(millis < 5000, "the answer took " + millis + " ms after boot: " + result);
  }

  /** Acceptance: Gogo's "Cannot coerce show(Token) to any of [(long)]" becomes which argument takes what. */
  @Test
  void wrongArgumentTypeNamesTheArgumentAndWhatItTakes() throws Exception {
    Distribution.Result result = Distribution.run(workspace, "show", "abc");
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("error: show: RUN takes a whole number (the run's id (see runs)), not \"abc\".\n"
        + "  usage: show RUN"), result::toString);
    assertFalse(result.err().contains("Cannot coerce"), result::toString);
  }

  /** Acceptance: a long dataset step draws a progress bar on a terminal (3 million lines, a few seconds). */
  @Test
  void longStepDrawsAProgressBarOnATerminal() throws Exception {
    Process probe = new ProcessBuilder("script", "-qec", "true", "/dev/null").redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "script (util-linux) is not installed: no pseudo-terminal to test on");
    Path lines = workspace.resolve("lines.txt");
    try (java.io.BufferedWriter out = java.nio.file.Files.newBufferedWriter(lines)) {
      for (int i = 0; i < 3_000_000; i++) {
        out.write("line ");
        out.write(Integer.toString(i));
        out.write('\n');
      }
    }
    java.nio.file.Files.writeString(workspace.resolve("lines.json"),
        "{\"name\": \"lines\", \"steps\": [{\"id\": \"lines\", \"uses\": \"dataset.text\", \"with\": {\"path\": \""
            + lines + "\"}}]}");
    Distribution.Result result = Distribution.runOnTerminal(workspace, "run", "--no-cache",
        workspace.resolve("lines.json").toString());
    assertEquals(0, result.exitCode(), result::toString);
    String out = result.out();
    assertTrue(out.contains("\r  [1/1] lines          dataset.text       reading lines.txt ["), out);
    assertTrue(out.contains("] 100%"), out);
    assertTrue(out.matches("(?s).*\r  \\[1/1\\] lines          dataset.text       done in [0-9.]+ m?s *\r?\n.*"), out);
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
