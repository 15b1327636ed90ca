package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tab completion on the completer itself, over a fixed set of commands and two folders. */
class ConsoleCompleterTest {
  @TempDir Path current;
  @TempDir Path workspace;

  private final ConsoleCompleter.CommandSource source = new ConsoleCompleter.CommandSource() {
    @Override
    public Set<String> commands() {
      return Set.of("run", "runs", "resume", "load", "lineage", "felix:lb", "lb");
    }

    @Override
    public List<ConsoleCompleter.Signature> signatures(String command) {
      return Map.of(
          "run", List.of(new ConsoleCompleter.Signature(
              List.of(new ConsoleCompleter.Option(List.of("-n", "--no-cache"), true),
                  new ConsoleCompleter.Option(List.of("-d", "--device"), false)),
              List.of(new ConsoleCompleter.Argument("file", "text", false),
                  new ConsoleCompleter.Argument("overrides", "text", true)))),
          "load", List.of(new ConsoleCompleter.Signature(
              List.of(new ConsoleCompleter.Option(List.of("--dtype"), false)),
              List.of(new ConsoleCompleter.Argument("model", "text", false)))),
          "trace", List.of(new ConsoleCompleter.Signature(
              List.of(new ConsoleCompleter.Option(List.of("-o", "--out"), false),
                  new ConsoleCompleter.Option(List.of("--ids"), false)),
              List.of(new ConsoleCompleter.Argument("model", "text", false)))))
          .getOrDefault(command, List.of());
    }

    @Override
    public List<String> models() {
      return List.of("all-minilm-l6-v2", "gpt2-tiny");
    }
  };

  private List<String> complete(String line) {
    ConsoleCompleter completer = new ConsoleCompleter(source, List.of(current, workspace));
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse(line, line.length()), candidates);
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void theFirstWordCompletesToCommands() {
    assertEquals(List.of("resume", "run", "runs"), complete("r"));
    assertEquals(List.of("felix:lb"), complete("felix:"));
  }

  @Test
  void aDashCompletesToTheCommandsOptions() {
    assertEquals(List.of("--device", "--no-cache"), complete("run --"));
    assertEquals(List.of("-d", "-n"), complete("run -").stream().filter(o -> o.length() == 2).toList());
  }

  @Test
  void aModelArgumentCompletesToModelNamesAndFolders() throws Exception {
    Files.createDirectories(current.resolve("gpt2-local"));
    assertEquals(List.of("gpt2-tiny", "gpt2-local/"), complete("load gpt"));
    assertEquals(List.of("all-minilm-l6-v2"), complete("load --dtype float64 al"));
  }

  @Test
  void aFileArgumentCompletesToPathsInTheCurrentFolderAndTheWorkspace() throws Exception {
    Files.createDirectories(workspace.resolve("workflows"));
    Files.writeString(workspace.resolve("workflows/quickstart.json"), "{}");
    Files.writeString(current.resolve("warm.json"), "{}");
    assertEquals(List.of("warm.json", "workflows/"), complete("run w"));
    assertEquals(List.of("workflows/quickstart.json"), complete("run -n workflows/q"));
    assertEquals(List.of("workflows/quickstart.json"), complete("run -d cpu workflows/q"));
    assertEquals(List.of(), complete("run -d "), "a device is no file");
  }

  @Test
  void theOutOptionCompletesToPaths() throws Exception {
    Files.writeString(current.resolve("trace.safetensors"), "");
    assertEquals(List.of("trace.safetensors"), complete("trace gpt2-tiny --out tr"));
  }
}
