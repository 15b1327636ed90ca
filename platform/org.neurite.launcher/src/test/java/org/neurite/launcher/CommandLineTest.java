package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void plainWordsStayAsTheyAre() {
    assertEquals("trace models/gpt2 --ids 3,17,42", CommandLine.join(List.of("trace", "models/gpt2", "--ids", "3,17,42")));
  }

  @Test
  void spacesAndGogoSyntaxAreQuoted() {
    assertEquals("trace m --text \"Hello, world; \\$x {y}\"",
        CommandLine.join(List.of("trace", "m", "--text", "Hello, world; $x {y}")));
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertEquals("\"say \\\"hi\\\" \\\\ bye\"", CommandLine.quote("say \"hi\" \\ bye"));
  }

  @Test
  void emptyArgumentSurvives() {
    assertEquals("run \"\"", CommandLine.join(List.of("run", "")));
  }
}
