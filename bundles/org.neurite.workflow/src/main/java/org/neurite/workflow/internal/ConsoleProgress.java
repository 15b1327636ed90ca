package org.neurite.workflow.internal;

import java.io.PrintStream;
import org.neurite.api.context.Progress;

/** Progress as console lines: one at every tenth of the work, so logs and pipes stay readable. */
final class ConsoleProgress implements Progress {
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long started = System.nanoTime();
  private long done;
  private int shownTenths = -1;

  ConsoleProgress(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    show();
  }

  @Override
  public synchronized void advance(long units) {
    done = Math.min(total, done + units);
    show();
  }

  private void show() {
    int tenths = (int) (done * 10 / total);
    if (tenths != shownTenths) {
      shownTenths = tenths;
      String bar = "#".repeat(tenths * 2) + ".".repeat(20 - tenths * 2);
      out.printf("        %s [%s] %d/%d  %.1f s%n", label, bar, done, total, (System.nanoTime() - started) / 1e9);
    }
  }

  @Override
  public synchronized void close() {
    if (done < total) {
      done = total;
      show();
    }
  }
}
