package org.neurite.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything logs through java.util.logging (Neurite via System.Logger, DJL via slf4j-jdk14). The
 * whole log, with stack traces, goes to {@code <workspace>/logs/neurite.log}; the terminal shows
 * Neurite's own warnings and every library's errors, so a bug is never silent.
 */
final class Logging {
  private static final String FORMAT = "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n";

  private Logging() {}

  static Path configure(Path workspace) {
    System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    Path logFile = workspace.resolve("logs/neurite.log");
    try {
      Files.createDirectories(logFile.getParent());
      FileHandler file = new FileHandler(logFile.toString(), true);
      file.setFormatter(new SimpleFormatter());
      file.setLevel(Level.ALL);
      root.addHandler(file);
    } catch (IOException e) {
      throw new LaunchException("Cannot write the log " + logFile + ": " + e.getMessage(), e);
    }
    ConsoleHandler terminal = new ConsoleHandler();
    terminal.setLevel(Level.WARNING);
    terminal.setFilter(Logging::showOnTerminal);
    terminal.setFormatter(new Formatter() {
      @Override
      public String format(LogRecord record) {
        String text = record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": " + formatMessage(record)
            + System.lineSeparator();
        if (record.getThrown() != null) {
          text += "  (stack trace in " + logFile + ")" + System.lineSeparator();
        }
        return text;
      }
    });
    root.addHandler(terminal);
    return logFile;
  }

  private static boolean showOnTerminal(LogRecord record) {
    String name = record.getLoggerName() == null ? "" : record.getLoggerName();
    return name.startsWith("org.neurite") ? record.getLevel().intValue() >= Level.WARNING.intValue()
        : record.getLevel().intValue() >= Level.SEVERE.intValue();
  }
}
