package org.neurite.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns Gogo's "Cannot coerce show(Token) to any of [(long)]" into what a user can act on: which
 * argument or option, what it takes, what was given, and the usage. It reads the usages from what
 * the console's {@code help COMMAND} returns (records, read by component name: the launcher does
 * not share the console bundle's classes).
 */
final class ArgumentErrors {
  private ArgumentErrors() {}

  /** The command name in Gogo's message, or null when the message is not about coercion. */
  static String commandOf(String gogoMessage) {
    if (gogoMessage == null || !gogoMessage.startsWith("Cannot coerce ")) {
      return null;
    }
    int paren = gogoMessage.indexOf('(');
    return paren < 0 ? null : gogoMessage.substring("Cannot coerce ".length(), paren);
  }

  /**
   * @param name the command as typed
   * @param words the words after it, as typed
   * @param help the console's {@code CommandHelp} record for the command
   */
  static String explain(String name, List<String> words, Object help) {
    List<?> usages = Values.list(help, "usages");
    String typeProblem = null;
    String arityProblem = null;
    for (Object usage : usages) {
      Problem problem = check(usage, words);
      if (problem == null) {
        continue;
      }
      if (problem.ofType() && typeProblem == null) {
        typeProblem = problem.message();
      } else if (!problem.ofType() && arityProblem == null) {
        arityProblem = problem.message();
      }
    }
    String what = typeProblem != null ? typeProblem : arityProblem != null ? arityProblem : "these arguments do not fit";
    StringBuilder out = new StringBuilder(name).append(": ").append(what).append('.');
    for (Object usage : usages) {
      out.append("\n  usage: ").append(synopsis(name, usage));
    }
    return out.append("\n  (help ").append(name).append(" describes each argument)").toString();
  }

  private record Problem(String message, boolean ofType) {}

  private static Problem check(Object usage, List<String> words) {
    List<?> options = Values.list(usage, "options");
    List<?> arguments = Values.list(usage, "arguments");
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      Object option = option(options, word);
      if (option == null) {
        positional.add(word);
        continue;
      }
      if (Boolean.TRUE.equals(Values.get(option, "flag"))) {
        continue;
      }
      if (i + 1 >= words.size()) {
        return new Problem("option " + word + " needs a value (" + Values.get(option, "kind") + ")", true);
      }
      String value = words.get(++i);
      if (!fits(value, (String) Values.get(option, "type"))) {
        return new Problem("option " + word + " takes " + article(option) + described(option) + ", not \"" + value + "\"",
            true);
      }
    }
    int fixed = 0;
    boolean repeatable = false;
    for (Object argument : arguments) {
      if (Boolean.TRUE.equals(Values.get(argument, "repeatable"))) {
        repeatable = true;
      } else {
        fixed++;
      }
    }
    if (positional.size() < fixed || (!repeatable && positional.size() > fixed)) {
      return new Problem("takes " + (fixed == 0 && !repeatable ? "no arguments"
          : (repeatable ? "at least " : "") + fixed + (fixed == 1 ? " argument" : " arguments") + " ("
              + String.join(", ", arguments.stream().map(ArgumentErrors::placeholder).toList()) + ")")
          + ", not " + positional.size(), false);
    }
    for (int i = 0; i < positional.size(); i++) {
      Object argument = arguments.get(Math.min(i, arguments.size() - 1));
      if (!fits(positional.get(i), (String) Values.get(argument, "type"))) {
        return new Problem(placeholder(argument) + " takes " + article(argument) + described(argument) + ", not \""
            + positional.get(i) + "\"", true);
      }
    }
    return null;
  }

  private static Object option(List<?> options, String word) {
    for (Object option : options) {
      if (Values.list(option, "names").contains(word)) {
        return option;
      }
    }
    return null;
  }

  /** Whether Gogo can turn {@code word} into a value of the Java type named {@code type}. */
  static boolean fits(String word, String type) {
    try {
      switch (type) {
        case "long", "int", "short", "byte", "Long", "Integer", "Short", "Byte" -> Long.parseLong(word);
        case "double", "float", "Double", "Float" -> Double.parseDouble(word);
        case "boolean", "Boolean" -> {
          return word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false");
        }
        default -> {
          return true;
        }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String article(Object described) {
    String kind = (String) Values.get(described, "kind");
    return kind.equals("true or false") ? "true or false" : "a " + kind;
  }

  private static String described(Object described) {
    String description = (String) Values.get(described, "description");
    return description.isEmpty() ? "" : " (" + description + ")";
  }

  private static String placeholder(Object argument) {
    return ((String) Values.get(argument, "name")).toUpperCase(Locale.ROOT)
        + (Boolean.TRUE.equals(Values.get(argument, "repeatable")) ? "..." : "");
  }

  static String synopsis(String name, Object usage) {
    StringBuilder out = new StringBuilder(name);
    for (Object option : Values.list(usage, "options")) {
      List<?> names = Values.list(option, "names");
      out.append(" [").append(names.get(0));
      if (!Boolean.TRUE.equals(Values.get(option, "flag"))) {
        String longest = names.stream().map(String::valueOf).max(java.util.Comparator.comparingInt(String::length))
            .orElse("VALUE");
        out.append(' ').append(longest.replaceFirst("^-+", "").toUpperCase(Locale.ROOT));
      }
      out.append(']');
    }
    for (Object argument : Values.list(usage, "arguments")) {
      boolean repeatable = Boolean.TRUE.equals(Values.get(argument, "repeatable"));
      out.append(' ').append(repeatable ? "[" + placeholder(argument) + "]" : placeholder(argument));
    }
    return out.toString();
  }
}
