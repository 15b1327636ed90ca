package org.neurite.console.internal;

import java.io.PrintStream;
import java.time.Duration;
import org.neurite.api.listener.RunListener;
import org.neurite.api.listener.RunStarted;
import org.neurite.api.listener.RunStep;
import org.neurite.api.workflow.RunOutcome;

/**
 * A run as the console shows it: a line when it starts, a line per step when the step ends, and the
 * progress of long steps. On a terminal the progress is one bar on the step's own line, redrawn in
 * place (carriage return, no escape sequences); anywhere else (a pipe, a file, a log) it is a line
 * at every tenth of the work, so logs stay readable. Steps shorter than a moment show no progress
 * at all: a step's progress appears once it has run for {@code quiet}.
 */
final class ConsoleRunListener implements RunListener {
  private static final int BAR = 20;
  /** A terminal bar is redrawn at most this often, unless the work is done. */
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long quietNanos;
  private long stepStarted;
  private long lastDrawn;
  private int drawnWidth;
  private int shownTenths = -1;

  /** Progress of steps that run longer than half a second on a terminal, longer than a second elsewhere. */
  ConsoleRunListener(PrintStream out, boolean terminal) {
    this(out, terminal, Duration.ofMillis(terminal ? 500 : 1000));
  }

  ConsoleRunListener(PrintStream out, boolean terminal, Duration quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quietNanos = quiet.toNanos();
  }

  @Override
  public void runStarted(RunStarted run) {
    if (run.attempt() == 1) {
      out.printf("run %d: %s (%d steps, device %s)%n", run.runId(), run.workflowName(), run.steps(), run.device());
    } else {
      out.printf("run %d: %s resumed (attempt %d; %d of %d steps completed before)%n", run.runId(), run.workflowName(),
          run.attempt(), run.completedBefore(), run.steps());
    }
  }

  @Override
  public synchronized void stepStarted(RunStep step) {
    stepStarted = System.nanoTime();
    lastDrawn = 0;
    drawnWidth = 0;
    shownTenths = -1;
  }

  @Override
  public void stepCached(RunStep step, long stepRecord, long ofRun, boolean earlierAttempt) {
    end(step, earlierAttempt ? "done before the interruption (step record " + stepRecord + ")"
        : "cached (step record " + stepRecord + " of run " + ofRun + ")");
  }

  @Override
  public void stepDone(RunStep step, Duration took) {
    end(step, "done in " + human(took));
  }

  @Override
  public void stepFailed(RunStep step, Duration took, String message, boolean beforeRunning) {
    end(step, beforeRunning ? "FAILED before it ran: " + message : "FAILED after " + human(took));
  }

  @Override
  public void stepCancelled(RunStep step, Duration took) {
    end(step, "cancelled");
  }

  @Override
  public synchronized void progress(RunStep step, String label, long done, long total) {
    long running = System.nanoTime() - stepStarted;
    if (running < quietNanos && drawnWidth == 0 && shownTenths < 0) {
      return;
    }
    double seconds = running / 1e9;
    if (terminal) {
      long now = System.nanoTime();
      if (done < total && now - lastDrawn < REDRAW_NANOS) {
        return;
      }
      lastDrawn = now;
      int filled = (int) (BAR * (double) done / Math.max(1, total));
      String line = prefix(step) + label + " [" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] "
          + String.format("%3d%%  %s/%s  %.1f s", (int) (100.0 * done / Math.max(1, total)), count(done), count(total),
              seconds);
      draw(line);
    } else {
      int tenths = (int) (done * 10.0 / Math.max(1, total));
      if (tenths != shownTenths) {
        shownTenths = tenths;
        String bar = "#".repeat(tenths * 2) + ".".repeat(20 - tenths * 2);
        out.printf("        %s [%s] %d/%d  %.1f s%n", label, bar, done, total, seconds);
      }
    }
  }

  @Override
  public void runFinished(RunOutcome outcome) {
    // A run that succeeded is shown by the command's result; one that did not also fails the command.
    if (outcome.status() != org.neurite.api.provenance.RunStatus.SUCCEEDED) {
      out.println(ConsoleFormat.outcome(outcome) + (outcome.message() == null ? "" : "\n  " + outcome.message()));
    }
  }

  private synchronized void end(RunStep step, String what) {
    String line = prefix(step) + what;
    if (drawnWidth > 0) {
      draw(line);
      out.print('\n');
      drawnWidth = 0;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Rewrites the current terminal line, blanking what a longer earlier drawing left. */
  private void draw(String line) {
    out.print('\r' + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
    out.flush();
    drawnWidth = line.length();
  }

  static String prefix(RunStep step) {
    return String.format("  [%d/%d] %-14s %-18s ", step.index(), step.total(), step.stepId(), step.stepName());
  }

  /** 950, 12.3k, 3.0M: counts that fit a terminal line. */
  static String count(long n) {
    if (n < 10_000) {
      return Long.toString(n);
    }
    if (n < 1_000_000) {
      return String.format("%.1fk", n / 1e3);
    }
    return String.format("%.1fM", n / 1e6);
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
  }
}
