package org.neurite.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab in the console: the first word completes to a command; a word that starts with {@code -} to
 * one of the command's options; an argument named {@code model} to a model name (or a folder); an
 * argument named {@code file}, or the value of {@code --out}, to a path, relative to the current
 * folder or the workspace (the rule the commands apply).
 */
final class ConsoleCompleter implements Completer {
  private final CommandSource commands;
  private final List<Path> folders;

  /** What the completer needs to know of the commands. */
  interface CommandSource {
    /** Every command name as a user types it ({@code run}, {@code felix:lb}). */
    Set<String> commands();

    /** Every way to call a command; empty when unknown. */
    List<Signature> signatures(String command);

    /** The names {@code models} lists. */
    List<String> models();
  }

  /** One way to call a command: its options, and its arguments in order. */
  record Signature(List<Option> options, List<Argument> arguments) {}

  /** An option; {@code flag} when it takes no value. */
  record Option(List<String> names, boolean flag) {}

  /** A positional argument: its name ({@code model}, {@code file}) and kind ("path", "whole number", ...). */
  record Argument(String name, String kind, boolean repeatable) {}

  /**
   * @param folders where relative paths are looked up, in order: the current folder, then the workspace
   */
  ConsoleCompleter(CommandSource commands, List<Path> folders) {
    this.commands = commands;
    this.folders = List.copyOf(folders);
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
    List<String> words = line.words();
    int index = line.wordIndex();
    if (index == 0) {
      commands.commands().stream().filter(c -> c.startsWith(word)).sorted().forEach(c -> candidates.add(new Candidate(c)));
      return;
    }
    List<Signature> signatures = commands.signatures(words.get(0));
    if (word.startsWith("-")) {
      signatures.stream().flatMap(s -> s.options().stream()).flatMap(o -> o.names().stream())
          .filter(n -> n.startsWith(word)).distinct().sorted().forEach(n -> candidates.add(new Candidate(n)));
      return;
    }
    Option previous = option(signatures, words.get(index - 1));
    if (previous != null && !previous.flag()) {
      if (previous.names().contains("--out") || previous.names().contains("--file")) {
        paths(word, candidates);
      }
      return;
    }
    int position = 0;
    for (int i = 1; i < index; i++) {
      Option option = option(signatures, words.get(i));
      if (option == null) {
        position++;
      } else if (!option.flag()) {
        i++;
      }
    }
    Argument argument = argument(signatures, position);
    if (argument == null) {
      return;
    }
    if (argument.name().equals("model")) {
      commands.models().stream().filter(m -> m.startsWith(word)).sorted()
          .forEach(m -> candidates.add(new Candidate(m, m, "models", null, null, null, true)));
      paths(word, candidates);
    } else if (argument.name().equals("file") || argument.kind().equals("path")) {
      paths(word, candidates);
    }
  }

  private static Option option(List<Signature> signatures, String word) {
    return signatures.stream().flatMap(s -> s.options().stream()).filter(o -> o.names().contains(word)).findFirst()
        .orElse(null);
  }

  private static Argument argument(List<Signature> signatures, int position) {
    for (Signature signature : signatures) {
      List<Argument> arguments = signature.arguments();
      if (position < arguments.size()) {
        return arguments.get(position);
      }
      if (!arguments.isEmpty() && arguments.get(arguments.size() - 1).repeatable()) {
        return arguments.get(arguments.size() - 1);
      }
    }
    return null;
  }

  /** Files and folders whose path starts with {@code typed}; a folder is offered with its slash, to go on typing. */
  void paths(String typed, List<Candidate> candidates) {
    int slash = typed.lastIndexOf('/');
    String folderPart = typed.substring(0, slash + 1);
    String start = typed.substring(slash + 1);
    List<Path> roots = typed.startsWith("/") ? List.of(Path.of("/")) : folders;
    Map<String, Candidate> found = new LinkedHashMap<>();
    for (Path root : roots) {
      Path folder = typed.startsWith("/") ? Path.of(folderPart.isEmpty() ? "/" : folderPart) : root.resolve(folderPart);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      List<Path> entries = new ArrayList<>();
      try (Stream<Path> list = Files.list(folder)) {
        list.forEach(entries::add);
      } catch (IOException e) {
        continue;
      }
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(start) || (name.startsWith(".") && !start.startsWith("."))) {
          continue;
        }
        boolean isFolder = Files.isDirectory(entry);
        String value = folderPart + name + (isFolder ? "/" : "");
        found.putIfAbsent(value, new Candidate(value, name + (isFolder ? "/" : ""), "files", null, null, null, !isFolder));
      }
    }
    found.values().stream().sorted(java.util.Comparator.comparing(Candidate::value)).forEach(candidates::add);
  }
}
