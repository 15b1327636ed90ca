package org.neurite.logging.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Copies every OSGi log entry into java.util.logging under a logger named after the bundle that
 * logged it ({@code osgi.org.apache.felix.scr}), where the launcher sends it to the workspace log,
 * and errors to the terminal. Without this, a Declarative Services component that throws in its
 * activate method leaves no trace but a missing service.
 */
@Component(immediate = true)
public final class OsgiLogBridge implements LogListener {
  private final LogReaderService reader;

  @Activate
  public OsgiLogBridge(@Reference LogReaderService reader) {
    this.reader = reader;
    reader.addLogListener(this);
    replayEarlierEntries();
  }

  /**
   * What was logged before this bridge started: the log service keeps a history (newest first; its
   * size is the framework property org.apache.felix.log.maxSize).
   */
  private void replayEarlierEntries() {
    java.util.List<LogEntry> earlier = java.util.Collections.list(reader.getLog());
    java.util.Collections.reverse(earlier);
    earlier.forEach(this::logged);
  }

  @Deactivate
  void stop() {
    reader.removeLogListener(this);
  }

  @Override
  public void logged(LogEntry entry) {
    String source = entry.getBundle() == null ? "framework" : entry.getBundle().getSymbolicName();
    Logger logger = System.getLogger("osgi." + source);
    Level level = level(entry);
    if (!logger.isLoggable(level)) {
      return;
    }
    String message = entry.getMessage();
    if (entry.getServiceReference() != null) {
      message += " [service " + entry.getServiceReference() + "]";
    }
    if (entry.getException() != null) {
      logger.log(level, message, entry.getException());
    } else {
      logger.log(level, message);
    }
  }

  static Level level(LogEntry entry) {
    return switch (entry.getLogLevel()) {
      case AUDIT, ERROR -> Level.ERROR;
      case WARN -> Level.WARNING;
      case INFO -> Level.INFO;
      case DEBUG -> Level.DEBUG;
      case TRACE -> Level.TRACE;
    };
  }
}
