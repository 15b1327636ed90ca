package org.neurite.support.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNamesTest {
  private static final List<String> COMMANDS = List.of("run", "runs", "resume", "show", "steps", "lineage", "load");

  @Test
  void aSwapOfNeighbouringLettersIsOneEdit() {
    assertEquals(1, ClosestNames.distance("rnu", "run"));
    assertEquals(1, ClosestNames.distance("shwo", "show"));
    assertEquals(List.of("run"), ClosestNames.to("rnu", COMMANDS, 3));
    assertEquals(List.of("show"), ClosestNames.to("shwo", COMMANDS, 3));
  }

  @Test
  void plainEditsAndPrefixesStillCount() {
    assertEquals(3, ClosestNames.distance("kitten", "sitting"));
    assertEquals(List.of("run", "runs"), ClosestNames.to("rus", COMMANDS, 3));
    assertEquals(List.of("lineage"), ClosestNames.to("lin", COMMANDS, 3));
    assertEquals(List.of(), ClosestNames.to("xyzzy", COMMANDS, 3));
  }
}
