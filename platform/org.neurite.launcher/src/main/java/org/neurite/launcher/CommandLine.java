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

  /**
   * The words of one simple command line as Gogo reads them: split at blanks, with double or single
   * quotes and backslashes as in {@link #quote}. Enough to name what a user typed in a message.
   */
  static List<String> split(String line) {
    List<String> words = new java.util.ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\\' && i + 1 < line.length() && quote != '\'') {
        word.append(line.charAt(++i));
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  private static boolean special(int c) {
    return Character.isWhitespace(c) || "\"'\\$;|&<>(){}[]#`~*?!".indexOf(c) >= 0;
  }
}
