package org.neurite.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.listener.RunListener;
import org.neurite.api.listener.RunStep;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepStatus;
import org.neurite.api.workflow.RunOptions;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.datasets.internal.TextDatasetStep;
import org.neurite.provenance.h2.internal.H2ProvenanceStore;
import org.neurite.support.files.WorkspaceFolders;

/** Cancelling runs in-process, on the real H2 store: what is recorded, what is left on disk, resume. */
class CancellationTest {
  private static final RunListener QUIET = new RunListener() {};

  @TempDir Path workspace;
  private H2ProvenanceStore store;
  private WorkflowEngine engine;
  private final TestSteps.Numbers numbers = new TestSteps.Numbers();
  private final CancellationSteps.Checks checks = new CancellationSteps.Checks();
  private final CancellationSteps.SlowWrite slowWrite = new CancellationSteps.SlowWrite();
  private final CancellationSteps.Breaks breaks = new CancellationSteps.Breaks();
  private final CancellationSteps.Ignores ignores = new CancellationSteps.Ignores();
  private final ExecutorService runner = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() {
    store = H2ProvenanceStore.embedded(workspace, Duration.ofSeconds(1));
    engine = new WorkflowEngine(store, new DjlTensorBackend(), WorkspaceFolders.of(workspace), "test");
    for (var step : List.of(numbers, checks, slowWrite, breaks, ignores, new TextDatasetStep())) {
      engine.add(TestSteps.registered(step));
    }
  }

  @AfterEach
  void stop() throws Exception {
    checks.released = slowWrite.released = ignores.released = true;
    runner.shutdown();
    assertTrue(runner.awaitTermination(30, TimeUnit.SECONDS));
    store.close();
  }

  private Path workflow(String stepsJson) throws Exception {
    Path file = workspace.resolve("workflows/w.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"name\": \"w\", \"steps\": [" + stepsJson + "]}");
    return file;
  }

  private Future<RunOutcome> runInBackground(Path file, RunListener listener) {
    return runner.submit(() -> engine.run(file, RunOptions.defaults(), listener));
  }

  private static final String NUMS = "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 3}}";

  @Test
  void aCancelledRunIsRecordedCancelledWithItsReasonAndResumeCompletesIt() throws Exception {
    Path file = workflow(NUMS + ", {\"id\": \"wait\", \"uses\": \"test.checks\"}");
    Future<RunOutcome> running = runInBackground(file, QUIET);
    checks.awaitRunning();
    List<Long> cancelled = engine.cancelRuns("cancelled by a test");
    RunOutcome outcome = running.get(30, TimeUnit.SECONDS);

    assertEquals(List.of(outcome.runId()), cancelled);
    assertEquals(RunStatus.CANCELLED, outcome.status());
    assertEquals("cancelled by a test during step wait", outcome.message());
    RunDetail detail = store.runDetail(outcome.runId()).orElseThrow();
    assertEquals(RunStatus.CANCELLED, detail.run().status());
    assertEquals("cancelled by a test during step wait", detail.run().message());
    assertEquals(List.of(StepStatus.SUCCEEDED, StepStatus.CANCELLED), detail.steps().stream().map(s -> s.status()).toList());
    assertTrue(engine.cancelRuns("again").isEmpty(), "nothing runs any more");

    checks.released = true;
    RunOutcome resumed = engine.resume(outcome.runId(), QUIET);
    assertEquals(RunStatus.SUCCEEDED, resumed.status(), resumed.message());
    assertEquals(1, numbers.runs, "the step completed before the cancellation is not run again");
    assertEquals(2, checks.runs);
    assertEquals(2, store.runDetail(outcome.runId()).orElseThrow().run().attempt());
  }

  /** Before: the writer returned normally, so its half-written file got its final name and was recorded. */
  @Test
  void aWriterThatStopsEarlyWhenCancelledLeavesNoFileUnderItsFinalName() throws Exception {
    Future<RunOutcome> running = runInBackground(workflow("{\"id\": \"slow\", \"uses\": \"test.slowwrite\"}"), QUIET);
    slowWrite.awaitRunning();
    engine.cancelRuns("cancelled by a test");
    RunOutcome outcome = running.get(30, TimeUnit.SECONDS);

    assertEquals(RunStatus.CANCELLED, outcome.status(), outcome.message());
    RunDetail detail = store.runDetail(outcome.runId()).orElseThrow();
    assertEquals(StepStatus.CANCELLED, detail.steps().get(0).status(), detail.steps().get(0).errorMessage());
    assertTrue(detail.artifacts().isEmpty(), detail.artifacts().toString());
    try (Stream<Path> files = Files.walk(workspace.resolve("runs"))) {
      // the run folder's marker (.neurite-run, naming the run) is all there is
      List<Path> left = files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals(".neurite-run")).toList();
      assertTrue(left.isEmpty(), "neither slow.txt nor its temporary file is left: " + left);
    }
  }

  /** Before: the step's own error ("Database is already closed") was recorded as the run's failure. */
  @Test
  void aStepThatFailsBecauseTheRunWasCancelledIsRecordedCancelledNotFailed() throws Exception {
    Future<RunOutcome> running = runInBackground(workflow("{\"id\": \"brittle\", \"uses\": \"test.breaks\"}"), QUIET);
    breaks.awaitRunning();
    engine.cancelRuns("cancelled by SIGTERM");
    RunOutcome outcome = running.get(30, TimeUnit.SECONDS);

    assertEquals(RunStatus.CANCELLED, outcome.status(), outcome.message());
    assertEquals("cancelled by SIGTERM during step brittle", outcome.message());
    RunDetail detail = store.runDetail(outcome.runId()).orElseThrow();
    assertEquals(StepStatus.CANCELLED, detail.steps().get(0).status());
    assertEquals(null, detail.steps().get(0).errorMessage());
  }

  @Test
  void stopRunsRecordsARunWhoseStepIgnoresCancellationCancelledWhenTheWaitEnds() throws Exception {
    Future<RunOutcome> running = runInBackground(workflow("{\"id\": \"stubborn\", \"uses\": \"test.ignores\"}"), QUIET);
    ignores.awaitRunning();
    long started = System.nanoTime();
    List<Long> stopped = engine.stopRuns("cancelled by SIGTERM", Duration.ofMillis(500));
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("stopRuns with a step that ignores cancellation returned after " + waitedMillis + " ms");
    assertTrue(waitedMillis >= 450 && waitedMillis < 10_000, waitedMillis + " ms");
    assertEquals(1, stopped.size());
    RunDetail detail = store.runDetail(stopped.get(0)).orElseThrow();
    assertEquals(RunStatus.CANCELLED, detail.run().status());
    assertEquals("cancelled by SIGTERM during step stubborn (the step did not stop within 500 ms; its work is not recorded)",
        detail.run().message());
    assertEquals(StepStatus.CANCELLED, detail.steps().get(0).status());

    ignores.released = true;
    RunOutcome outcome = running.get(30, TimeUnit.SECONDS);
    assertEquals(RunStatus.CANCELLED, outcome.status(), "the run's own end is not recorded over the forced one");
    assertEquals(RunStatus.CANCELLED, store.runDetail(stopped.get(0)).orElseThrow().run().status());
  }

  @Test
  void stopRunsReturnsAsSoonAsAWellBehavedStepHasStopped() throws Exception {
    Future<RunOutcome> running = runInBackground(workflow("{\"id\": \"wait\", \"uses\": \"test.checks\"}"), QUIET);
    checks.awaitRunning();
    long started = System.nanoTime();
    List<Long> stopped = engine.stopRuns("cancelled by SIGINT (Ctrl-C)", Duration.ofSeconds(20));
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("stopRuns with a step that checks returned after " + waitedMillis + " ms");
    assertTrue(waitedMillis < 5_000, waitedMillis + " ms");
    RunDetail detail = store.runDetail(stopped.get(0)).orElseThrow();
    assertEquals("cancelled by SIGINT (Ctrl-C) during step wait", detail.run().message());
    assertEquals(RunStatus.CANCELLED, running.get(30, TimeUnit.SECONDS).status());
  }

  /** Before: dataset.text read the whole file after the cancellation and recorded its examples. */
  @Test
  void theDatasetReaderStopsAtTheNextExampleOnceCancelled() throws Exception {
    Path lines = workspace.resolve("lines.txt");
    try (BufferedWriter out = Files.newBufferedWriter(lines)) {
      for (int i = 0; i < 200_000; i++) {
        out.write("line " + i + "\n");
      }
    }
    RunListener cancelAtOnce = new RunListener() {
      @Override
      public void progress(RunStep step, String label, long done, long total) {
        engine.cancelRuns("cancelled by a test");
      }
    };
    RunOutcome outcome = engine.run(workflow("{\"id\": \"lines\", \"uses\": \"dataset.text\", \"with\": {\"path\": \""
        + lines + "\"}}"), RunOptions.defaults(), cancelAtOnce);

    assertEquals(RunStatus.CANCELLED, outcome.status(), outcome.message());
    RunDetail detail = store.runDetail(outcome.runId()).orElseThrow();
    assertEquals(StepStatus.CANCELLED, detail.steps().get(0).status());
    assertTrue(detail.metrics().isEmpty(), "no example count of a partly read file: " + detail.metrics());
    assertTrue(detail.sources().isEmpty(), detail.sources().toString());
    assertFalse(Files.exists(workspace.resolve("runs/" + outcome.runId() + "/lines")));
  }
}
