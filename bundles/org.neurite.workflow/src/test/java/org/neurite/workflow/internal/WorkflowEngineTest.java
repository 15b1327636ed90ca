package org.neurite.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.listener.RunListener;
import org.neurite.api.listener.RunStarted;
import org.neurite.api.listener.RunStep;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStatus;
import org.neurite.api.workflow.RunOptions;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.provenance.h2.internal.H2ProvenanceStore;
import org.neurite.support.files.WorkspaceFolders;

/** The engine in-process on the real H2 store and the real DJL backend, with small real steps. */
class WorkflowEngineTest {
  @TempDir Path workspace;
  private H2ProvenanceStore store;
  private WorkflowEngine engine;
  private final TestSteps.Numbers numbers = new TestSteps.Numbers();
  private final TestSteps.Sum sum = new TestSteps.Sum();
  private final TestSteps.Lines lines = new TestSteps.Lines();
  private final TestSteps.Words words = new TestSteps.Words();
  private final Events console = new Events();

  @BeforeEach
  void start() {
    store = H2ProvenanceStore.embedded(workspace, Duration.ofSeconds(1));
    engine();
  }

  private void engine() {
    engine = new WorkflowEngine(store, new DjlTensorBackend(), WorkspaceFolders.of(workspace), "test");
    for (var step : List.of(numbers, sum, lines, words, new TestSteps.Counting(), new TestSteps.Fail(), new TestSteps.HalfWrite())) {
      engine.add(TestSteps.registered(step));
    }
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private Path workflow(String json) throws Exception {
    Path file = workspace.resolve("workflows/w.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, json);
    return file;
  }

  private static final String CHAIN = "{\"name\": \"chain\", \"params\": {\"n\": {\"type\": \"integer\", \"default\": 4,"
      + " \"help\": \"count\"}}, \"steps\": ["
      + "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": \"${params.n}\"}},"
      + "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.file}\", \"scale\": 2}}]}";

  private RunOutcome run(Path file, RunOptions options) {
    return engine.run(file, options, console);
  }

  @Test
  void runRecordsStepsArtifactsAndMetrics() throws Exception {
    RunOutcome outcome = run(workflow(CHAIN), RunOptions.defaults());
    assertEquals(RunStatus.SUCCEEDED, outcome.status(), console.toString());
    RunDetail detail = store.runDetail(outcome.runId()).orElseThrow();
    assertEquals(List.of("nums", "sum"), detail.steps().stream().map(s -> s.start().stepId()).toList());
    assertEquals(1, detail.artifacts().size());
    assertEquals(outcome.runId() + "/nums/numbers.txt", detail.artifacts().get(0).path());
    assertEquals(20.0, detail.metrics().get(0).value());
    assertTrue(detail.run().start().workflowText().contains("\"chain\""));
    assertEquals("{\"params\":{\"n\":4},\"device\":\"cpu\"}", detail.run().start().paramsJson());
  }

  @Test
  void secondRunReusesEveryStepAndNoCacheDoesTheWork() throws Exception {
    Path file = workflow(CHAIN);
    run(file, RunOptions.defaults());
    RunOutcome again = run(file, RunOptions.defaults());
    assertEquals(List.of(StepStatus.CACHED, StepStatus.CACHED), again.steps().stream().map(s -> s.status()).toList());
    assertEquals(1, numbers.runs);
    assertEquals(1, sum.runs);
    assertTrue(console.toString().contains("cached nums record "), console.toString());

    RunOutcome forced = run(file, new RunOptions(Map.of(), true, null));
    assertEquals(List.of(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED), forced.steps().stream().map(s -> s.status()).toList());
    assertEquals(2, numbers.runs);
  }

  @Test
  void editedInputFileIsReadAgainNotReused() throws Exception {
    Path data = workspace.resolve("data.txt");
    Files.writeString(data, "a\nb\n");
    Path file = workflow("{\"name\": \"lines\", \"steps\": [{\"id\": \"count\", \"uses\": \"test.lines\","
        + " \"with\": {\"file\": \"data.txt\"}}]}");
    run(file, RunOptions.defaults());
    assertEquals(StepStatus.CACHED, run(file, RunOptions.defaults()).steps().get(0).status());
    Files.writeString(data, "a\nb\nc\n");
    RunOutcome edited = run(file, RunOptions.defaults());
    assertEquals(StepStatus.SUCCEEDED, edited.steps().get(0).status(), console.toString());
    assertEquals(2, lines.runs);
    assertEquals(3.0, store.runDetail(edited.runId()).orElseThrow().metrics().get(0).value());
  }

  @Test
  void changedParameterRecomputesOnlyWhatDependsOnIt() throws Exception {
    Path file = workflow(CHAIN);
    run(file, RunOptions.defaults());
    RunOutcome changed = run(file, new RunOptions(Map.of("n", "5"), false, null));
    assertEquals(List.of(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED), changed.steps().stream().map(s -> s.status()).toList());
    assertEquals(30.0, store.runDetail(changed.runId()).orElseThrow().metrics().get(0).value());
  }

  @Test
  void cachedOutputIsRestoredWhenADownstreamStepRuns() throws Exception {
    Path file = workflow(CHAIN);
    run(file, RunOptions.defaults());
    String scaled = CHAIN.replace("\"scale\": 2", "\"scale\": 3");
    RunOutcome outcome = run(workflow(scaled), RunOptions.defaults());
    assertEquals(List.of(StepStatus.CACHED, StepStatus.SUCCEEDED), outcome.steps().stream().map(s -> s.status()).toList());
    assertEquals(30.0, store.runDetail(outcome.runId()).orElseThrow().metrics().get(0).value());
  }

  @Test
  void tamperedArtifactIsNotReused() throws Exception {
    Path file = workflow(CHAIN);
    RunOutcome first = run(file, RunOptions.defaults());
    Files.writeString(workspace.resolve("runs/" + first.runId() + "/nums/numbers.txt"), "1\n");
    RunOutcome again = run(file, RunOptions.defaults());
    assertEquals(StepStatus.SUCCEEDED, again.steps().get(0).status());
    assertEquals(2, numbers.runs);
  }

  @Test
  void failingStepFailsTheRunWithItsMessageAndResumeContinues() throws Exception {
    String json = CHAIN.replace("]}", ",{\"id\": \"check\", \"uses\": \"test.fail\", \"with\": {\"total\": \"${sum}\"}}]}");
    RunOutcome failed = run(workflow(json), RunOptions.defaults());
    assertEquals(RunStatus.FAILED, failed.status());
    assertTrue(failed.message().contains("step check (test.fail) failed: the input was not acceptable: 20.0"), failed.message());
    RunDetail detail = store.runDetail(failed.runId()).orElseThrow();
    assertTrue(detail.steps().get(2).errorStackTrace().contains("TestSteps$Fail.run"));

    RunOutcome resumed = engine.resume(failed.runId(), console);
    assertEquals(failed.runId(), resumed.runId());
    assertEquals(StepStatus.SUCCEEDED, resumed.steps().get(0).status(), "nums completed before: reused");
    assertEquals(1, numbers.runs, "resume does not redo completed steps");
    assertEquals(RunStatus.FAILED, resumed.status(), "the failing step fails again");
  }

  /** Issue 8: a resumed --no-cache run still reuses no other run's step; it keeps the options it was started with. */
  @Test
  void resumeOfANoCacheRunReusesNoOtherRunsSteps() throws Exception {
    Path file = workflow("{\"name\": \"words\", \"steps\": ["
        + "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 2}},"
        + "{\"id\": \"count\", \"uses\": \"test.words\", \"with\": {\"words\": [\"a\", \"b\"]}}]}");
    assertEquals(RunStatus.SUCCEEDED, run(file, RunOptions.defaults()).status(), console.toString());
    words.failing = true;
    RunOutcome forced = run(file, new RunOptions(Map.of(), true, null));
    assertEquals(RunStatus.FAILED, forced.status(), console.toString());
    assertEquals(2, numbers.runs);
    assertEquals(2, words.runs);

    words.failing = false;
    RunOutcome resumed = engine.resume(forced.runId(), console);
    assertEquals(RunStatus.SUCCEEDED, resumed.status(), resumed.message());
    assertEquals(List.of(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED), resumed.steps().stream().map(s -> s.status()).toList(),
        "nums kept from this run's first attempt, count computed again rather than taken from the first run");
    assertEquals(3, words.runs, "the resumed step ran");
    assertEquals(2, numbers.runs, "the step this run completed was kept");
  }

  /** Issue 8: a second run's report describes that run; it is not the first run's report served from the cache. */
  @Test
  void aReportSummaryDescribesTheRunThatShowsIt() throws Exception {
    engine.add(TestSteps.registered(new ReportSummaryStep(store)));
    Path file = workflow(CHAIN.replace("]}", ",{\"id\": \"summary\", \"uses\": \"report.summary\"}]}"));
    RunOutcome first = run(file, RunOptions.defaults());
    RunOutcome second = run(file, RunOptions.defaults());
    assertEquals(RunStatus.SUCCEEDED, second.status(), console.toString());
    assertEquals(List.of(StepStatus.CACHED, StepStatus.CACHED, StepStatus.SUCCEEDED),
        second.steps().stream().map(s -> s.status()).toList());
    Path report = workspace.resolve("runs/" + second.runId() + "/summary/summary.md");
    String text = Files.readString(report);
    assertTrue(text.contains("run " + second.runId() + ", started"), text);
    assertTrue(text.contains("| nums | test.numbers | CACHED (record "), text);
    assertEquals(List.of(second.runId() + "/summary/summary.md"), store.runDetail(second.runId()).orElseThrow().artifacts()
        .stream().map(a -> a.path()).filter(p -> p.endsWith("summary.md")).toList());
    assertTrue(Files.readString(workspace.resolve("runs/" + first.runId() + "/summary/summary.md"))
        .contains("run " + first.runId() + ", started"));
  }

  /** Deletes the workspace's database (as a user who lost it would) and opens a new, empty one. */
  private void replaceTheDatabase() throws Exception {
    store.close();
    try (Stream<Path> files = Files.walk(workspace.resolve("db"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    store = H2ProvenanceStore.embedded(workspace, Duration.ofSeconds(1));
    engine();
  }

  /** Issue 8: with the database lost, the new run 1 writes to a folder of its own; the old run 1's files stay. */
  @Test
  void aRunIdSeenAgainAfterTheDatabaseWasReplacedGetsAFolderOfItsOwn() throws Exception {
    Path file = workflow(CHAIN);
    RunOutcome old = run(file, RunOptions.defaults());
    assertEquals(1, old.runId());
    Path oldNumbers = workspace.resolve("runs/1/nums/numbers.txt");
    String oldText = Files.readString(oldNumbers);

    replaceTheDatabase();
    RunOutcome again = run(file, new RunOptions(Map.of("n", "6"), false, null));
    assertEquals(RunStatus.SUCCEEDED, again.status(), console.toString());
    assertEquals(1, again.runId(), "the new database counts from 1 again");
    assertEquals(oldText, Files.readString(oldNumbers), "the earlier run 1's file is as it was");
    RunDetail detail = store.runDetail(again.runId()).orElseThrow();
    assertEquals(List.of("1-2/nums/numbers.txt"), detail.artifacts().stream().map(a -> a.path()).toList(),
        "show of the new run 1 points at its own folder");
    assertEquals(detail.artifacts().get(0).sha256(),
        org.neurite.support.files.ContentHash.sha256(workspace.resolve("runs/1-2/nums/numbers.txt")));
    assertEquals(42.0, detail.metrics().get(0).value(), "2 * (0+1+...+6) from the new file");
  }

  /** A resumed run writes to the folder it started with, found by its marker, not to runs/<id>. */
  @Test
  void aResumedRunWritesToItsOwnFolder() throws Exception {
    Path file = workflow("{\"name\": \"late\", \"steps\": ["
        + "{\"id\": \"count\", \"uses\": \"test.words\", \"with\": {\"words\": [\"a\"]}},"
        + "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 3}}]}");
    run(file, RunOptions.defaults());
    String oldText = Files.readString(workspace.resolve("runs/1/nums/numbers.txt"));
    replaceTheDatabase();
    words.failing = true;
    RunOutcome failed = run(file, new RunOptions(Map.of(), true, null));
    assertEquals(RunStatus.FAILED, failed.status(), console.toString());
    assertEquals(1, failed.runId());
    // the user moves the old run's files away: runs/1 is free, and still not the resumed run's folder
    Files.move(workspace.resolve("runs/1"), workspace.resolve("runs/old-1"));
    words.failing = false;
    RunOutcome resumed = engine.resume(failed.runId(), console);
    assertEquals(RunStatus.SUCCEEDED, resumed.status(), resumed.message());
    assertEquals(List.of("1-2/nums/numbers.txt"), store.runDetail(1).orElseThrow().artifacts().stream()
        .map(a -> a.path()).toList());
    assertEquals(oldText, Files.readString(workspace.resolve("runs/old-1/nums/numbers.txt")));
    assertFalse(Files.exists(workspace.resolve("runs/1")), "the resume found its own folder by its marker");
    assertFalse(Files.exists(workspace.resolve("runs/1-3")));
  }

  @Test
  void artifactsMayLieInFoldersOfTheStepsFolderButNotOutsideIt() throws Exception {
    TestSteps.Folders folders = new TestSteps.Folders();
    engine.add(TestSteps.registered(folders));
    RunOutcome outcome = run(workflow("{\"name\": \"f\", \"steps\": [{\"id\": \"train\", \"uses\": \"test.folders\"}]}"),
        RunOptions.defaults());
    assertEquals(RunStatus.SUCCEEDED, outcome.status(), console.toString());
    assertEquals(List.of(outcome.runId() + "/train/checkpoint-1/a.txt", outcome.runId() + "/train/checkpoint-1/b.txt"),
        store.runDetail(outcome.runId()).orElseThrow().artifacts().stream().map(a -> a.path()).toList());
    assertEquals(workspace.resolve("runs").resolve(outcome.runId() + "/train"), folders.folderBefore);
    assertEquals("b", Files.readString(folders.folderBefore.resolve("checkpoint-1/b.txt")));
    assertEquals("step train named an artifact 'checkpoint-1/'; an artifact name is a plain file name, or plain"
        + " folder and file names joined by '/' (checkpoint-3/config.json), none of them empty or starting with '.'",
        folders.badNameMessage);
    assertFalse(Files.exists(workspace.resolve("runs").resolve(outcome.runId() + "/escape.txt")));
  }

  @Test
  void artifactWhoseWriterFailsIsNeitherRecordedNorLeftBehind() throws Exception {
    RunOutcome outcome = run(workflow("{\"name\": \"h\", \"steps\": [{\"id\": \"half\", \"uses\": \"test.halfwrite\"}]}"),
        RunOptions.defaults());
    assertEquals(RunStatus.FAILED, outcome.status());
    assertTrue(outcome.message().contains("disk full (simulated)"), outcome.message());
    assertTrue(store.runDetail(outcome.runId()).orElseThrow().artifacts().isEmpty());
    try (Stream<Path> files = Files.walk(workspace.resolve("runs"))) {
      assertFalse(files.anyMatch(p -> p.toString().endsWith(".part") || p.toString().endsWith("big.bin")));
    }
  }

  @Test
  void memoKeyIsStableAndSensitiveToEveryIngredient() {
    RegisteredStep step = TestSteps.registered(numbers);
    String params = MemoKey.canonicalParams(Map.of("n", new com.google.gson.JsonPrimitive(4),
        "label", new com.google.gson.JsonPrimitive("x")));
    String key = MemoKey.of(step, params, Map.of("a", "h1"), List.of());
    assertEquals(key, MemoKey.of(step, MemoKey.canonicalParams(Map.of("label", new com.google.gson.JsonPrimitive("x"),
        "n", new com.google.gson.JsonPrimitive(4))), Map.of("a", "h1"), List.of()));
    assertFalse(key.equals(MemoKey.of(step, params, Map.of("a", "h2"), List.of())));
    assertFalse(key.equals(MemoKey.of(new RegisteredStep(numbers, numbers.spec(), "b", "1.0.1", "1.0.1"), params,
        Map.of("a", "h1"), List.of())));
  }

  private static final String TALLY = "{\"name\": \"tally\", \"params\": {\"scale\": {\"type\": \"number\","
      + " \"default\": 1, \"help\": \"factor\"}}, \"steps\": ["
      + "{\"id\": \"count\", \"uses\": \"test.tally\", \"with\": {\"n\": 4}},"
      + "{\"id\": \"total\", \"uses\": \"test.total\", \"with\": {\"tally\": \"${count.tally}\","
      + " \"scale\": \"${params.scale}\"}}]}";

  @Test
  void aReusedOutputIsRestoredByTheCodecOfItsTypeNotByTheStepThatMadeIt() throws Exception {
    TestSteps.TallyCodec codec = new TestSteps.TallyCodec();
    TestSteps.TallyStep tally = new TestSteps.TallyStep();
    TestSteps.Total total = new TestSteps.Total();
    engine.addCodec(codec);
    engine.add(TestSteps.registered(tally));
    engine.add(TestSteps.registered(total));
    Path file = workflow(TALLY);
    RunOutcome first = run(file, RunOptions.defaults());
    assertEquals(RunStatus.SUCCEEDED, first.status(), console.toString());
    StepRecord count = store.runDetail(first.runId()).orElseThrow().steps().get(0);
    assertEquals("test-tally", count.outputs().get(0).type(), "recorded under the codec's type name");

    RunOutcome second = run(file, new RunOptions(Map.of("scale", "3"), false, null));
    assertEquals(RunStatus.SUCCEEDED, second.status(), console.toString());
    assertEquals(List.of(StepStatus.CACHED, StepStatus.SUCCEEDED), second.steps().stream().map(s -> s.status()).toList());
    assertEquals(1, tally.runs, "the producer did not run again");
    assertEquals(1, codec.restored, "its output came back through the codec");
    assertEquals(30.0, store.runDetail(second.runId()).orElseThrow().steps().get(1).outputs().stream()
        .filter(o -> o.name().equals("total")).findFirst().orElseThrow().valueJson().transform(Double::parseDouble));

    Files.writeString(workspace.resolve("runs/" + first.runId() + "/count/tally.txt"), "1\n2\n3\n5\n");
    RunOutcome tampered = run(file, new RunOptions(Map.of("scale", "4"), false, null));
    assertEquals(RunStatus.SUCCEEDED, tampered.status(), console.toString());
    assertEquals(2, tally.runs, "a changed artifact is never reused: the producer ran again");

    engine.removeCodec(codec);
    RunOutcome noCodec = run(file, new RunOptions(Map.of("scale", "5"), false, null));
    assertEquals(RunStatus.FAILED, noCodec.status());
    assertTrue(noCodec.message().contains("no installed bundle restores that type"), noCodec.message());
  }

  /** Acceptance: a list element that holds a comma is one element again when the run is resumed. */
  @Test
  void resumeCarriesTheRecordedTypedParametersSoAListElementWithACommaStaysWhole() throws Exception {
    Path file = workflow("{\"name\": \"words\", \"params\": {\"words\": {\"type\": \"string_list\","
        + " \"default\": [\"a,b\", \"c\"], \"help\": \"the words\"}}, \"steps\": ["
        + "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 2}},"
        + "{\"id\": \"count\", \"uses\": \"test.words\", \"with\": {\"words\": \"${params.words}\"}}]}");
    words.failing = true;
    RunOutcome failed = run(file, RunOptions.defaults());
    assertEquals(RunStatus.FAILED, failed.status(), console.toString());
    assertEquals(List.of("a,b", "c"), words.last);

    words.failing = false;
    RunOutcome resumed = engine.resume(failed.runId(), console);
    assertEquals(RunStatus.SUCCEEDED, resumed.status(), resumed.message());
    assertEquals(List.of("a,b", "c"), words.last, "the resumed step got the recorded list, not one split at commas");
    assertEquals(1, numbers.runs, "the completed step was reused: its memo key matched the recorded parameters");
    assertTrue(console.toString().contains("cached nums record " + store.runDetail(failed.runId()).orElseThrow().steps()
        .get(0).id() + " of run " + failed.runId() + " (earlier attempt)"), console.toString());
  }

  @Test
  void theListenerHearsEveryEventInOrderAndProgressAtMostOncePerPercent() throws Exception {
    Path file = workflow("{\"name\": \"p\", \"steps\": [{\"id\": \"work\", \"uses\": \"test.progress\","
        + " \"with\": {\"n\": 100000}}, {\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}},"
        + "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.file}\", \"scale\": 2}},"
        + "{\"id\": \"bad\", \"uses\": \"test.fail\", \"with\": {\"total\": \"${sum}\"}}]}");
    RunOutcome outcome = run(file, RunOptions.defaults());
    assertEquals(RunStatus.FAILED, outcome.status());
    List<String> events = console.events;
    assertEquals("started p 4 steps attempt 1", events.get(0));
    assertEquals("step 1/4 work test.progress", events.get(1));
    long progress = events.stream().filter(e -> e.startsWith("progress work counting")).count();
    assertEquals(101, progress, "0%, each whole percent, 100%: " + progress);
    assertEquals("progress work counting 0/100000", events.get(2));
    assertTrue(events.contains("progress work counting 100000/100000"), events.toString());
    assertTrue(events.contains("done work"), events.toString());
    assertTrue(events.contains("step 4/4 bad test.fail"), events.toString());
    assertTrue(events.contains("failed bad: the input was not acceptable: 20.0"), events.toString());
    assertEquals("finished " + outcome.runId() + " FAILED", events.get(events.size() - 1));
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheRun() throws Exception {
    RunListener broken = new RunListener() {
      @Override
      public void stepStarted(RunStep step) {
        throw new IllegalStateException("the terminal went away");
      }
    };
    RunOutcome outcome = engine.run(workflow(CHAIN), RunOptions.defaults(), broken);
    assertEquals(RunStatus.SUCCEEDED, outcome.status());
  }

  /** Records what the engine tells its listener, one line per event. */
  static final class Events implements RunListener {
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void runStarted(RunStarted run) {
      events.add("started " + run.workflowName() + " " + run.steps() + " steps attempt " + run.attempt());
    }

    @Override
    public void stepStarted(RunStep step) {
      events.add("step " + step.index() + "/" + step.total() + " " + step.stepId() + " " + step.stepName());
    }

    @Override
    public void stepCached(RunStep step, long stepRecord, long ofRun, boolean earlierAttempt) {
      events.add("cached " + step.stepId() + " record " + stepRecord + " of run " + ofRun
          + (earlierAttempt ? " (earlier attempt)" : ""));
    }

    @Override
    public void stepDone(RunStep step, Duration took) {
      events.add("done " + step.stepId());
    }

    @Override
    public void stepFailed(RunStep step, Duration took, String message, boolean beforeRunning) {
      events.add("failed " + step.stepId() + ": " + message);
    }

    @Override
    public void stepCancelled(RunStep step, Duration took) {
      events.add("cancelled " + step.stepId());
    }

    @Override
    public void progress(RunStep step, String label, long done, long total) {
      events.add("progress " + step.stepId() + " " + label + " " + done + "/" + total);
    }

    @Override
    public void runFinished(RunOutcome outcome) {
      events.add("finished " + outcome.runId() + " " + outcome.status());
    }

    @Override
    public String toString() {
      return String.join("\n", events);
    }
  }
}
