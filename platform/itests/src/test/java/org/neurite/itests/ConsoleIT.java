package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.launcher.CommandLineException;
import org.neurite.launcher.Neurite;
import org.neurite.launcher.Values;

/** The console a user meets, on the embedded distribution: values, help, mistakes and their messages. */
class ConsoleIT {
  @TempDir static Path workspace;
  private static Neurite neurite;

  @BeforeAll
  static void boot() throws Exception {
    neurite = Neurite.start(Distribution.home(), workspace, System.out, System.err);
  }

  @AfterAll
  static void stop() throws Exception {
    neurite.close();
  }

  /** Acceptance: commands return data; a caller asserts on fields, not on prose. */
  @Test
  void commandsReturnValuesTheCallerReadsByField() throws Exception {
    Object selftest = neurite.call("selftest");
    assertEquals("cpu", Values.get(selftest, "device"));
    assertTrue((double) Values.get(selftest, "maxError") < 1e-3);
    assertTrue(neurite.format(selftest).startsWith("ok: 64x64 matmul on cpu"), neurite.format(selftest));

    Object outcome = neurite.call("run workflows/quickstart.json");
    assertEquals("SUCCEEDED", Values.get(outcome, "status").toString());
    long run = (long) Values.get(outcome, "runId");
    assertEquals(List.of("model", "sentences", "stats", "contrast", "neurons", "ablation", "summary",
        "report"),
        Values.list(outcome, "steps").stream().map(s -> Values.get(s, "stepId")).toList());
    assertEquals("run " + run + " SUCCEEDED", neurite.format(outcome).substring(0, ("run " + run + " SUCCEEDED").length()));

    Object detail = neurite.call("show " + run);
    assertEquals("quickstart", Values.get(detail, "run", "start", "workflowName"));
    assertTrue(Values.list(detail, "metrics").stream().anyMatch(m -> Values.get(m, "name").equals("examples")
        && Values.get(m, "group").equals("all") && (double) Values.get(m, "value") == 192.0));
    assertEquals(run, Values.get(Values.list(neurite.call("runs"), "runs").get(0), "id"));
    Object models = neurite.call("models");
    assertTrue(Values.list(models, "models").stream().anyMatch(m -> Values.get(m, "name").equals("all-minilm-l6-v2")));
  }

  /** Acceptance: help shows Neurite's commands with one-line descriptions first, the framework's under --all. */
  @Test
  void helpListsNeuritesCommandsWithDescriptionsAndTheFrameworksUnderAll() throws Exception {
    String help = neurite.execute("help");
    assertTrue(help.startsWith("Neurite commands (help COMMAND describes one):\n"), help);
    assertTrue(help.contains("\n  run       run a workflow file; steps whose work was done before are reused (cached)\n"), help);
    assertFalse(help.contains("felix:lb"), help);
    assertFalse(help.contains("default"), "Gogo's not-found hook is no command to list: " + help);
    Object list = neurite.call("help");
    assertEquals(List.of("diff", "generate", "help", "info", "lineage", "load", "models", "neurons", "resume", "run", "runs",
        "selftest", "show", "steps", "trace", "unload", "validate"), Values.list(list, "neurite").stream().map(c -> Values.get(c, "name")).toList());
    assertTrue(Values.list(list, "neurite").stream().noneMatch(c -> ((String) Values.get(c, "description")).isEmpty()));

    String all = neurite.execute("help --all");
    assertTrue(all.indexOf("felix:lb") > all.indexOf("validate"), all);
    String one = neurite.execute("help run");
    assertTrue(one.contains("usage: run [-n] [-d DEVICE] FILE [OVERRIDES...]"), one);
  }

  /** Acceptance: a mistyped command is answered at once with the closest names (it waited 10 s before). */
  @Test
  void mistypedCommandIsAnsweredAtOnceWithTheClosestNames() throws Exception {
    long started = System.nanoTime();
    Exception error = assertThrows(Exception.class, () -> neurite.execute("shwo 1"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals("org.neurite.api.NeuriteException", error.getClass().getName());
    assertTrue(error.getMessage().startsWith("Command not found: shwo; did you mean show"), error.getMessage());
    assertTrue(millis < 3000, "answered after " + millis + " ms");
  }

  /** Acceptance: a wrong argument names the argument and what it takes, for arguments and options alike. */
  @Test
  void wrongArgumentsSayWhichArgumentAndWhatItTakes() {
    CommandLineException show = assertThrows(CommandLineException.class, () -> neurite.execute("show abc"));
    assertTrue(show.getMessage().startsWith("show: RUN takes a whole number (the run's id (see runs)), not \"abc\"."),
        show.getMessage());
    CommandLineException runs = assertThrows(CommandLineException.class, () -> neurite.execute("runs --limit many"));
    assertTrue(runs.getMessage().startsWith("runs: option --limit takes a whole number (how many to show), not \"many\"."),
        runs.getMessage());
    CommandLineException diff = assertThrows(CommandLineException.class, () -> neurite.execute("diff 1"));
    assertTrue(diff.getMessage().startsWith("diff: takes 2 arguments (LEFT, RIGHT), not 1."), diff.getMessage());
  }

  /** Acceptance: {@code --set key=} names the key; a key given twice is refused. */
  @Test
  void emptyAndDuplicateSetAreRefusedNamingTheKey() {
    Exception empty = assertThrows(Exception.class,
        () -> neurite.execute("validate workflows/quickstart.json --set dataset="));
    assertTrue(empty.getMessage().contains("--set dataset=: no value for parameter 'dataset' (path); give one after"
        + " the '=', or leave --set dataset out to keep the workflow's value \"datasets/sentences.jsonl\""), empty.getMessage());
    Exception twice = assertThrows(Exception.class,
        () -> neurite.execute("validate workflows/quickstart.json --set title=a --set title=b"));
    assertEquals("--set title is given twice (title=a and title=b); give each parameter once.", twice.getMessage());
  }
}
