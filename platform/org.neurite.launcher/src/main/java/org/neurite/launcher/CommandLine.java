package org.neurite.launcher;

import java.util.List;

/** Turns shell arguments back into one Gogo command line, quoting where Gogo would split or expand. */
final class CommandLine {
  private CommandLine() {}

  static String join(List<String> args) {
    StringBuilder line = new StringBuilder();
    for (String arg : args) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(quote(arg));
    }
    return line.toString();
  }

  static String quote(String arg) {
    if (!arg.isEmpty() && arg.chars().noneMatch(CommandLine::special)) {
      return arg;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : arg.toCharArray()) {
      if (c == '"' || c == '\\' || c == '$') {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.append('"').toString();
  }

  private static boolean special(int c) {
    return Character.isWhitespace(c) || "\"'\\$;|&<>(){}[]#`~*?!".indexOf(c) >= 0;
  }
}
