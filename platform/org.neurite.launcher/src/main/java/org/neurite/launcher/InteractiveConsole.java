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

  static int run(Neurite neurite, Path workspace, String version, PrintStream out, PrintStream err)
      throws Exception {
    GogoSession session = neurite.session();
    Path log = workspace.resolve("logs/neurite.log");
    try (Terminal terminal = TerminalBuilder.builder().name("neurite").system(true).build()) {
      // Ctrl-C while a command runs: its run is cancelled and the prompt comes back when it has
      // recorded so. At the prompt the line reader takes Ctrl-C itself (it clears the line).
      terminal.handle(Terminal.Signal.INT, signal -> cancelForeground(neurite, err));
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

  private static void cancelForeground(Neurite neurite, PrintStream err) {
    try {
      if (neurite.cancelRuns("cancelled by Ctrl-C in the console").isEmpty()) {
        err.println("\n(Ctrl-C cancels a workflow run; this command cannot be cancelled and ends by itself)");
      }
    } catch (Exception | LinkageError e) {
      err.println("\nCtrl-C: the run could not be cancelled: " + e);
    }
  }
}
