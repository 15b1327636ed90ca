package org.neurite.launcher;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import sun.misc.Signal;

/**
 * A signal that asks the process to stop (TERM, HUP, and INT when there is no console to take
 * Ctrl-C) stops Neurite in order before the JVM begins to shut down: the runs are cancelled and
 * record {@code CANCELLED} ("cancelled by SIGTERM during step slow"), then the framework stops and
 * the provenance database closes, and only then does the JVM exit, with 128 + the signal's number
 * (143 for TERM, 130 for INT), as a shell reports a process a signal ended.
 *
 * <p>The JVM's own handling would start its shutdown hooks at once and all together: H2's, which
 * closes the database, raced the run recording its end ("Database is already closed").
 */
final class StopSignals {
  private static final Logger LOG = System.getLogger(StopSignals.class.getName());

  private volatile int received;

  private StopSignals() {}

  /**
   * Installs the handlers.
   *
   * @param interrupt whether INT (Ctrl-C) stops Neurite too; not in the console, where Ctrl-C
   *     cancels the command in the foreground instead
   */
  static StopSignals install(Neurite neurite, boolean interrupt) {
    StopSignals signals = new StopSignals();
    List<String> names = new ArrayList<>(List.of("TERM", "HUP"));
    if (interrupt) {
      names.add("INT");
    }
    for (String name : names) {
      try {
        Signal.handle(new Signal(name), signal -> signals.stop(neurite, signal));
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // the JVM keeps this signal to itself (-Xrs) or the platform has none: the shutdown hook remains
        LOG.log(Level.INFO, "Cannot handle SIG" + name + "; the JVM's shutdown hook stops Neurite instead", e);
      }
    }
    return signals;
  }

  /** The exit status of a process stopped by a signal (128 + its number); empty when none came. */
  OptionalInt exitStatus() {
    int number = received;
    return number == 0 ? OptionalInt.empty() : OptionalInt.of(128 + number);
  }

  private void stop(Neurite neurite, Signal signal) {
    if (received == 0) {
      received = signal.getNumber();
    }
    String name = "SIG" + signal.getName() + (signal.getName().equals("INT") ? " (Ctrl-C)" : "");
    LOG.log(Level.INFO, "{0}: stopping Neurite", name);
    neurite.stop("cancelled by " + name);
    System.exit(128 + signal.getNumber());
  }
}
