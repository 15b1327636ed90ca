package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a run cleanly, with the real distribution in a child process: TERM and INT during a step
 * of {@code ./neurite run}, and Ctrl-C typed at the interactive console.
 */
class StopIT {
  @TempDir Path workspace;
  private Path workflow;

  @BeforeEach
  void slowWorkflow() throws Exception {
    Files.createDirectories(workspace.resolve("plugins"));
    Files.copy(Distribution.testPlugin("org.neurite.itests.plugin.jar"), workspace.resolve("plugins/itests.jar"));
    workflow = workspace.resolve("slow.json");
    // itest.slow writes a line every 100 ms and, once cancelled, stops writing and returns normally
    Files.writeString(workflow, "{\"name\": \"slow\", \"steps\": ["
        + "{\"id\": \"echo\", \"uses\": \"itest.echo\", \"with\": {\"message\": \"before\"}},"
        + "{\"id\": \"slow\", \"uses\": \"itest.slow\", \"with\": {\"lines\": 40}}]}");
  }

  /** Acceptance: TERM (Process.destroy) during a step. */
  @Test
  void sigtermCancelsTheRunAndResumeCompletesIt() throws Exception {
    Process process = startRun();
    long signalled = System.nanoTime();
    process.destroy();
    assertStoppedByASignal(process, 143, signalled, "TERM");
    assertCancelledCleanlyAndResumable("cancelled by SIGTERM during step slow");
  }

  /** Acceptance: INT (kill -INT, what Ctrl-C sends) during a step of a run without a console. */
  @Test
  void sigintCancelsANonInteractiveRunAndResumeCompletesIt() throws Exception {
    Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process, so in its children too");
    Process process = startRun();
    long signalled = System.nanoTime();
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
    assertStoppedByASignal(process, 130, signalled, "INT");
    assertCancelledCleanlyAndResumable("cancelled by SIGINT (Ctrl-C) during step slow");
  }

  /** Acceptance: Ctrl-C at the console cancels the running command; the console answers the next one. */
  @Test
  void ctrlCInTheConsoleCancelsTheRunAndReturnsToThePrompt() throws Exception {
    Process probe = new ProcessBuilder("script", "-qec", "true", "/dev/null").redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "script (util-linux) is not installed: no pseudo-terminal to test on");
    Path out = workspace.resolve("console.txt");
    Process console = Distribution.startOnTerminal(workspace, out);
    try {
      OutputStream keys = console.getOutputStream();
      await(out, text -> text.contains("neurite> "), 120, "the prompt");
      // at the prompt Ctrl-C clears the line, as in a shell: "hel" is not run, nor glued to the next line
      type(keys, "hel");
      Thread.sleep(300);
      type(keys, "\u0003");
      Thread.sleep(300);
      type(keys, "run " + workflow + "\r");
      Distribution.awaitFile(workspace.resolve("runs"), ".slow.txt.", ".part", 60);
      long pressed = System.nanoTime();
      type(keys, "\u0003");
      String cancelled = await(out, text -> text.contains("run 1 CANCELLED"), 30, "the run to be cancelled");
      System.out.println("console: Ctrl-C to the run's CANCELLED line: " + (System.nanoTime() - pressed) / 1_000_000 + " ms");
      assertTrue(cancelled.contains("cancelled by Ctrl-C in the console during step slow"), cancelled);
      assertTrue(console.isAlive(), "the console is still running: " + cancelled);

      type(keys, "runs\r");
      String answered = await(out, text -> text.matches("(?s).*\\n\\s+1\\s+CANCELLED\\s+slow.*"), 30,
          "the next command to be answered");
      type(keys, "exit\r");
      assertTrue(console.waitFor(60, TimeUnit.SECONDS), "the console did not exit: " + answered);
      assertEquals(0, console.exitValue(), answered);
      assertFalse(answered.contains("Database is already closed"), answered);
      assertFalse(answered.contains("Command not found"), "the line Ctrl-C cleared was not run: " + answered);
    } finally {
      console.destroyForcibly();
    }
    Distribution.Result show = Distribution.run(workspace, "show", "1");
    assertTrue(show.out().contains("message   cancelled by Ctrl-C in the console during step slow"), show::toString);
    assertTrue(show.out().contains("slow           itest.slow         CANCELLED"), show::toString);
    assertNoUnrecordedFiles();
  }

  private Process startRun() throws Exception {
    Process process = Distribution.start(workspace, List.of(), workspace.resolve("out.txt"), workspace.resolve("err.txt"),
        "run", workflow.toString());
    Distribution.awaitFile(workspace.resolve("runs"), ".slow.txt.", ".part", 60);
    Thread.sleep(300);
    return process;
  }

  private void assertStoppedByASignal(Process process, int status, long signalled, String signal) throws Exception {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "neurite did not stop within 60 s of SIG" + signal);
    long millis = (System.nanoTime() - signalled) / 1_000_000;
    System.out.println("SIG" + signal + " to exit of ./neurite run: " + millis + " ms");
    String out = Files.readString(workspace.resolve("out.txt"), StandardCharsets.UTF_8);
    String err = Files.readString(workspace.resolve("err.txt"), StandardCharsets.UTF_8);
    String printed = "--- stdout\n" + out + "--- stderr\n" + err;
    assertEquals(status, process.exitValue(), printed);
    assertTrue(out.contains("slow           itest.slow         cancelled"), printed);
    assertTrue(out.contains("run 1 CANCELLED"), printed);
    assertFalse(printed.contains("FAILED"), printed);
    assertFalse(printed.contains("already closed"), printed);
  }

  private void assertCancelledCleanlyAndResumable(String message) throws Exception {
    Distribution.Result runs = Distribution.run(workspace, "runs");
    assertEquals(0, runs.exitCode(), runs::toString);
    assertTrue(runs.out().matches("(?s).*\\n\\s+1\\s+CANCELLED\\s+slow.*"), runs::toString);
    assertFalse(runs.err().contains("interrupted"), "the run's own process recorded its end: " + runs);
    Distribution.Result show = Distribution.run(workspace, "show", "1");
    assertTrue(show.out().contains("message   " + message), show::toString);
    assertTrue(show.out().contains("echo           itest.echo         SUCCEEDED"), show::toString);
    assertTrue(show.out().contains("slow           itest.slow         CANCELLED"), show::toString);
    assertFalse(show.out().contains("error:"), show::toString);
    assertFalse(show.out().contains("slow.txt"), "no artifact of the cancelled step is recorded: " + show);
    assertNoUnrecordedFiles();

    Distribution.Result resumed = Distribution.run(workspace, "resume", "1");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertTrue(resumed.out().contains("echo           itest.echo         done before the interruption"), resumed::toString);
    Distribution.Result after = Distribution.run(workspace, "show", "1");
    assertTrue(after.out().contains("run 1  slow  SUCCEEDED (attempt 2)"), after::toString);
    assertTrue(after.out().contains("1/slow/slow.txt"), after::toString);
    assertEquals(40, Files.readAllLines(workspace.resolve("runs/1/slow/slow.txt")).size());
  }

  /** The cancelled step left nothing in its folder: neither its file under the final name nor a temporary one. */
  private void assertNoUnrecordedFiles() throws Exception {
    Path folder = workspace.resolve("runs/1/slow");
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        List<Path> left = files.toList();
        assertTrue(left.isEmpty(), "files left by the cancelled step: " + left);
      }
    }
  }

  private static void type(OutputStream keys, String text) throws Exception {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  private static String await(Path file, Predicate<String> done, int seconds, String what) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    String text = "";
    while (System.currentTimeMillis() < deadline) {
      text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (done.test(text)) {
        return text;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("waited " + seconds + " s for " + what + "; the terminal shows:\n" + text);
  }

  /** Whether this JVM ignores SIGINT (bit 2 of SigIgn in /proc/self/status), as a background job of a plain shell does. */
  private static boolean sigintIgnored() throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0b10) != 0;
      }
    }
    return false;
  }
}
