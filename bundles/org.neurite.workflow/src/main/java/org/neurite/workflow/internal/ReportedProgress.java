package org.neurite.workflow.internal;

import org.neurite.api.context.Progress;
import org.neurite.api.listener.RunListener;
import org.neurite.api.listener.RunStep;

/**
 * A step's progress, passed to the run listener at the start, at every whole percent and at the
 * end: a step may advance a million times, the listener hears of it at most 102 times.
 */
final class ReportedProgress implements Progress {
  private final RunListener listener;
  private final RunStep step;
  private final String label;
  private final long total;
  private long done;
  private long reportedPercent = -1;

  ReportedProgress(RunListener listener, RunStep step, String label, long total) {
    this.listener = listener;
    this.step = step;
    this.label = label;
    this.total = Math.max(1, total);
    report();
  }

  @Override
  public synchronized void advance(long units) {
    done = Math.min(total, done + Math.max(0, units));
    report();
  }

  private void report() {
    long percent = (long) (done * 100.0 / total);
    if (percent != reportedPercent) {
      reportedPercent = percent;
      listener.progress(step, label, done, total);
    }
  }

  @Override
  public synchronized void close() {
    if (done < total) {
      done = total;
      report();
    }
  }
}
