package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gogo's coercion failure, explained from the usages the console's help returns (here: records of the same shape). */
class ArgumentErrorsTest {
  record CommandHelp(String scope, String name, List<Usage> usages) {}

  record Usage(String description, List<OptionHelp> options, List<ArgumentHelp> arguments) {}

  record OptionHelp(List<String> names, boolean flag, String type, String kind, String absentValue, String description) {}

  record ArgumentHelp(String name, String type, String kind, String description, boolean repeatable) {}

  private static final CommandHelp SHOW = new CommandHelp("neurite", "show", List.of(new Usage("show a run", List.of(),
      List.of(new ArgumentHelp("run", "long", "whole number", "the run's id (see runs)", false)))));
  private static final CommandHelp RUNS = new CommandHelp("neurite", "runs", List.of(new Usage("list runs",
      List.of(new OptionHelp(List.of("-l", "--limit"), false, "int", "whole number", "20", "how many to show")), List.of())));

  @Test
  void gogosMessageNamesTheCommand() {
    assertEquals("show", ArgumentErrors.commandOf("Cannot coerce show(Token) to any of [(long)]"));
    assertEquals(null, ArgumentErrors.commandOf("Command not found: x"));
  }

  @Test
  void aWrongArgumentIsNamedWithWhatItTakes() {
    assertEquals("show: RUN takes a whole number (the run's id (see runs)), not \"abc\".\n  usage: show RUN\n"
        + "  (help show describes each argument)", ArgumentErrors.explain("show", List.of("abc"), SHOW));
  }

  @Test
  void aWrongOptionValueAndAWrongCountAreNamedToo() {
    assertEquals("runs: option --limit takes a whole number (how many to show), not \"many\".\n  usage: runs [-l LIMIT]\n"
        + "  (help runs describes each argument)", ArgumentErrors.explain("runs", List.of("--limit", "many"), RUNS));
    assertEquals("show: takes 1 argument (RUN), not 2.\n  usage: show RUN\n  (help show describes each argument)",
        ArgumentErrors.explain("show", List.of("1", "2"), SHOW));
  }

  @Test
  void wordsAreSplitAsGogoSplitsThem() {
    assertEquals(List.of("trace", "m", "--text", "a b", "it's"), CommandLine.split("trace m --text \"a b\" 'it'\\''s'"));
  }
}
