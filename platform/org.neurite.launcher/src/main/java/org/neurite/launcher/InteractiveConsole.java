package org.neurite.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The interactive console: a prompt with line editing and a history kept in the workspace. */
final class InteractiveConsole {
  private InteractiveConsole() {}

  static int run(GogoSession session, Path workspace, String version, PrintStream out, PrintStream err)
      throws Exception {
    Path log = workspace.resolve("logs/neurite.log");
    try (Terminal terminal = TerminalBuilder.builder().name("neurite").system(true).build()) {
      session.terminal(!Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType()));
      LineReader reader = LineReaderBuilder.builder()
          .terminal(terminal)
          .appName("neurite")
          .completer(new ConsoleCompleter(new SessionCommands(session), List.of(Path.of("").toAbsolutePath(), workspace)))
          .variable(LineReader.HISTORY_FILE, workspace.resolve(".neurite_history"))
          .build();
      out.println("Neurite " + version + "  workspace " + workspace);
      out.println("Type help for the commands, help COMMAND for one of them, exit to leave.");
      int last = 0;
      while (true) {
        String line;
        try {
          line = reader.readLine("neurite> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        String trimmed = line.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (trimmed.equals("exit") || trimmed.equals("quit")) {
          break;
        }
        last = Main.execute(session, trimmed, out, err, log);
      }
      reader.getHistory().save();
      return last;
    }
  }
}
