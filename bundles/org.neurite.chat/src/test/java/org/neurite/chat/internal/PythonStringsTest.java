package org.neurite.chat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** str methods, each value as CPython 3.11 gives it. */
class PythonStringsTest {
  private static Object call(String s, String method, Object... args) {
    return PythonStrings.call(s, method, args).orElseThrow();
  }

  @Test
  void stripRemovesPythonWhitespaceIncludingNoBreakSpaces() {
    assertEquals("x", call("\u00a0\t x \u202f\u3000\n", "strip"));
    assertEquals("x \n", call("\n x \n", "lstrip"));
    assertEquals("\u0000x\u0000", call("\u0000x\u0000 ", "rstrip"));
    assertEquals("hi", call("xyhiyx", "strip", "xy"));
    assertEquals("<think>", call("\n\n<think>", "lstrip", "\n"));
  }

  @Test
  void splitWithAndWithoutSeparator() {
    assertEquals(List.of("a", "b", "c"), call("  a \t b\u00a0c  ", "split"));
    assertEquals(List.of("a", "b c "), call(" a b c ", "split", null, 1L));
    assertEquals(List.of("", "a", "", "b", ""), call(",a,,b,", "split", ","));
    assertEquals(List.of("x", "answer"), call("x</think>answer", "split", "</think>"));
    assertEquals(List.of("a,b", "c"), call("a,b,c", "rsplit", ",", 1L));
    assertEquals(List.of(" a b", "c"), call(" a b c", "rsplit", null, 1L));
  }

  @Test
  void casing() {
    assertEquals("Hello World'S ǅungla 2Nd", call("hELLO wORLD's ǆungla 2nd", "title"));
    assertEquals("Tool", call("tOOL", "capitalize"));
    assertEquals("STRASSE", call("straße", "upper"));
    assertEquals(true, call("ABC1", "isupper"));
    assertEquals(false, call("123", "islower"));
  }

  @Test
  void searchingAndReplacing() {
    assertEquals(true, call("<tool_response>x", "startswith", "<tool_response>"));
    assertEquals(true, call("end!", "endswith", List.of("?", "!")));
    assertEquals("xbxb", call("abab", "replace", "a", "x"));
    assertEquals("xbab", call("abab", "replace", "a", "x", 1L));
    assertEquals(1L, call("🌍a🌍a", "find", "a🌍"));
    assertEquals(-1L, call("abc", "find", "z"));
    assertEquals(2L, call("aXaXa", "count", "X"));
    assertEquals("p, q", call(", ", "join", List.of("p", "q")));
    assertEquals("ab", call("abc", "removesuffix", "c"));
  }

  @Test
  void unknownMethodsAreLeftToJinjava() {
    assertTrue(PythonStrings.call("x", "format_map", new Object[0]).isEmpty());
  }
}
