package org.neurite.console.internal;

import java.util.List;
import java.util.Locale;

/** How {@code help} reads: one line per command, or one command's usages with their options and arguments. */
final class HelpText {
  private HelpText() {}

  static String list(HelpCommands.CommandList list) {
    StringBuilder out = new StringBuilder("Neurite commands (help COMMAND describes one):\n");
    table(list.neurite().stream().map(c -> new String[] {c.name(), firstClause(c.description())}).toList(), out);
    if (!list.framework().isEmpty()) {
      out.append("\nFramework commands (Felix, Gogo; a name of another scope is written scope:name):\n");
      table(list.framework().stream().map(c -> new String[] {c.qualifiedName(), c.description()}).toList(), out);
    } else if (list.frameworkCount() > 0) {
      out.append("\nhelp --all also lists the ").append(list.frameworkCount())
          .append(" commands of the framework (Felix, Gogo).\n");
    }
    return out.toString();
  }

  /** A description up to its first colon: what fits one line of a list ({@code help COMMAND} has all of it). */
  static String firstClause(String description) {
    int colon = description.indexOf(": ");
    return colon < 0 || description.length() <= 90 ? description : description.substring(0, colon);
  }

  static String command(HelpCommands.CommandHelp help) {
    String name = help.scope().equals(HelpCommands.SCOPE) ? help.name() : help.scope() + ":" + help.name();
    StringBuilder out = new StringBuilder();
    if (help.usages().isEmpty()) {
      return name + ": no description (a command of scope " + help.scope() + ")\n";
    }
    for (HelpCommands.Usage usage : help.usages()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(name).append(usage.description().isEmpty() ? "" : " - " + usage.description()).append('\n');
      out.append("  usage: ").append(synopsis(name, usage)).append('\n');
      java.util.List<String[]> rows = new java.util.ArrayList<>();
      for (HelpCommands.OptionHelp o : usage.options()) {
        String names = String.join(", ", o.names()) + (o.flag() ? "" : " " + placeholder(o));
        String absent = o.flag() || o.absentValue().isEmpty() ? "" : " (default " + o.absentValue() + ")";
        rows.add(new String[] {names, o.description() + (o.flag() ? "" : kindNote(o.kind())) + absent});
      }
      for (HelpCommands.ArgumentHelp a : usage.arguments()) {
        rows.add(new String[] {argument(a), a.description() + kindNote(a.kind())});
      }
      table(rows, out);
    }
    return out.toString();
  }

  /** {@code run [-n] [-d DEVICE] FILE [OVERRIDES...]} */
  static String synopsis(String name, HelpCommands.Usage usage) {
    StringBuilder out = new StringBuilder(name);
    for (HelpCommands.OptionHelp o : usage.options()) {
      out.append(" [").append(o.names().get(0)).append(o.flag() ? "" : " " + placeholder(o)).append(']');
    }
    for (HelpCommands.ArgumentHelp a : usage.arguments()) {
      out.append(' ').append(a.repeatable() ? "[" + argument(a) + "]" : argument(a));
    }
    return out.toString();
  }

  private static String argument(HelpCommands.ArgumentHelp a) {
    return a.name().toUpperCase(Locale.ROOT) + (a.repeatable() ? "..." : "");
  }

  private static String placeholder(HelpCommands.OptionHelp o) {
    String longest = o.names().stream().max(java.util.Comparator.comparingInt(String::length)).orElse("VALUE");
    return longest.replaceFirst("^-+", "").toUpperCase(Locale.ROOT);
  }

  private static String kindNote(String kind) {
    return kind.equals("text") ? "" : " (" + kind + ")";
  }

  private static void table(List<String[]> rows, StringBuilder out) {
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    for (String[] row : rows) {
      out.append("  ").append(row[0]);
      if (!row[1].isEmpty()) {
        out.append(" ".repeat(width - row[0].length() + 2)).append(row[1]);
      }
      out.append('\n');
    }
  }
}
