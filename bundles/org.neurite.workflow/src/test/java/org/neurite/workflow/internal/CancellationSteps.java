package org.neurite.workflow.internal;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;

/** Steps that run until they are cancelled, each reacting to it the way real steps do. */
final class CancellationSteps {
  private CancellationSteps() {}

  /** What every step here shares: it says when it runs, and runs until cancelled or released. */
  abstract static class Held implements Step {
    final CountDownLatch running = new CountDownLatch(1);
    volatile boolean released;

    /** Waits until the step has started running. */
    void awaitRunning() throws InterruptedException {
      if (!running.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError(spec().name() + " did not start within 30 s");
      }
    }
  }

  /** {@code test.checks}: calls {@code checkCancelled()} every 10 ms, as a well-behaved long step does. */
  static final class Checks extends Held {
    int runs;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.checks").summary("runs until cancelled, checking").build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      runs++;
      running.countDown();
      while (!released) {
        context.checkCancelled();
        Thread.sleep(10);
      }
      return StepResult.empty();
    }
  }

  /**
   * {@code test.slowwrite}: writes an artifact a line at a time and, once cancelled, stops writing
   * and returns normally, so the file it leaves is half-written (what {@code itest.slow} does).
   */
  static final class SlowWrite extends Held {
    @Override
    public StepSpec spec() {
      return StepSpec.named("test.slowwrite").summary("writes slowly, stops quietly when cancelled").build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      context.artifacts().write("slow.txt", "data", temporary -> {
        try (BufferedWriter out = Files.newBufferedWriter(temporary)) {
          for (int i = 0; !released && !context.cancelled(); i++) {
            out.write("line " + i + "\n");
            out.flush();
            running.countDown();
            Thread.sleep(10);
          }
        }
      });
      return StepResult.empty();
    }
  }

  /**
   * {@code test.breaks}: once cancelled, fails with an error of its own, as a step does whose
   * database or file closes under it while the process stops.
   */
  static final class Breaks extends Held {
    @Override
    public StepSpec spec() {
      return StepSpec.named("test.breaks").summary("fails once cancelled").build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      running.countDown();
      while (!context.cancelled()) {
        Thread.sleep(10);
      }
      throw new IllegalStateException("Database is already closed (simulated)");
    }
  }

  /** {@code test.ignores}: never checks for cancellation; ends only when released. */
  static final class Ignores extends Held {
    @Override
    public StepSpec spec() {
      return StepSpec.named("test.ignores").summary("ignores cancellation").build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      running.countDown();
      while (!released) {
        Thread.sleep(10);
      }
      return StepResult.empty();
    }
  }
}
