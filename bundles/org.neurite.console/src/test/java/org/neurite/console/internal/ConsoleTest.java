package org.neurite.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;
import org.neurite.api.listener.RunStep;

/** The console's own logic, without a framework: overrides, progress drawing, help read from annotations. */
class ConsoleTest {

  @Test
  void aDuplicateSetKeyIsRefusedNamingTheKeyAndBothValues() {
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> WorkflowCommands.overrides(new String[] {"--set", "n=4", "--set=n=5"}));
    assertEquals("--set n is given twice (n=4 and n=5); give each parameter once.", e.getMessage());
    assertEquals(Map.of("n", "4", "m", ""), WorkflowCommands.overrides(new String[] {"--set", "n=4", "-s", "m="}));
  }

  @Test
  void onATerminalProgressIsOneBarRedrawnInPlaceOnTheStepsLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleRunListener listener = new ConsoleRunListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
        Duration.ZERO);
    RunStep step = new RunStep(1, 2, 3, "sentences", "dataset.text");
    listener.stepStarted(step);
    listener.progress(step, "reading", 0, 3_000_000);
    listener.progress(step, "reading", 3_000_000, 3_000_000);
    listener.stepDone(step, Duration.ofMillis(4500));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("\r  [2/3] sentences      dataset.text       reading [....................]   0%  0/3.0M"), out);
    assertTrue(out.contains("\r  [2/3] sentences      dataset.text       reading [####################] 100%  3.0M/3.0M"), out);
    assertTrue(out.endsWith("\r  [2/3] sentences      dataset.text       done in 4.5 s" + " ".repeat(out.split("\r")[2].length()
        - "  [2/3] sentences      dataset.text       done in 4.5 s".length()) + "\n"), out);
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line per step: " + out);
  }

  @Test
  void elsewhereProgressIsALineAtEveryTenth() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleRunListener listener = new ConsoleRunListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
        Duration.ZERO);
    RunStep step = new RunStep(1, 1, 1, "count", "test.count");
    listener.stepStarted(step);
    for (int percent = 0; percent <= 100; percent++) {
      listener.progress(step, "counting", percent, 100);
    }
    listener.stepDone(step, Duration.ofMillis(12));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(12, lines.size(), lines.toString());
    assertTrue(lines.get(5).startsWith("        counting [##########..........] 50/100"), lines.toString());
    assertEquals("  [1/1] count          test.count         done in 12 ms", lines.get(11));
    assertFalse(String.join("", lines).contains("\r"));
  }

  @Test
  void aShortStepShowsNoProgress() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleRunListener listener = new ConsoleRunListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    RunStep step = new RunStep(1, 1, 1, "count", "test.count");
    listener.stepStarted(step);
    listener.progress(step, "counting", 0, 100);
    listener.progress(step, "counting", 100, 100);
    listener.stepDone(step, Duration.ofMillis(3));
    assertEquals("  [1/1] count          test.count         done in 3 ms\n", bytes.toString(StandardCharsets.UTF_8));
  }

  /** A command class as a plugin would write one. */
  public static final class Sample {
    @Descriptor("show a thing")
    public String show(
        @Descriptor("how many") @Parameter(names = {"-n", "--top"}, absentValue = "20") int top,
        @Descriptor("be loud") @Parameter(names = {"-v"}, presentValue = "true", absentValue = "false") boolean loud,
        @Descriptor("the run's id") long run, @Descriptor("more words") String... words) {
      return "";
    }
  }

  @Test
  void helpReadsOptionsAndArgumentsFromGogosAnnotations() {
    List<HelpCommands.Usage> usages = HelpCommands.usages(Sample.class, "show");
    assertEquals(1, usages.size());
    HelpCommands.Usage usage = usages.get(0);
    assertEquals("show a thing", usage.description());
    assertEquals(new HelpCommands.OptionHelp(List.of("-n", "--top"), false, "int", "whole number", "20", "how many"),
        usage.options().get(0));
    assertTrue(usage.options().get(1).flag());
    assertEquals(new HelpCommands.ArgumentHelp("run", "long", "whole number", "the run's id", false), usage.arguments().get(0));
    assertEquals(new HelpCommands.ArgumentHelp("words", "String", "text", "more words", true), usage.arguments().get(1));
    String text = HelpText.command(new HelpCommands.CommandHelp("neurite", "show", usages));
    assertTrue(text.startsWith("show - show a thing\n  usage: show [-n TOP] [-v] RUN [WORDS...]\n"), text);
    assertTrue(text.contains("  -n, --top TOP  how many (whole number) (default 20)\n"), text);
    assertTrue(text.contains("  RUN            the run's id (whole number)\n"), text);
  }
}
