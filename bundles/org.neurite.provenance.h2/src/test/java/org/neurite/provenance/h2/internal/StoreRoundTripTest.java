package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.ComparedValue;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunComparison;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.RunSummary;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.SourceKind;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.provenance.StepStatus;

class StoreRoundTripTest {
  @TempDir Path dir;
  private H2ProvenanceStore store;

  private static final String SHA_A = "0123456789abcdef".repeat(4);
  private static final String SHA_B = "fedcba9876543210".repeat(4);

  @BeforeEach
  void open() {
    store = TestStores.store(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void runRoundTripsEveryField() {
    RunStart start = TestStores.runStart("lape", "{\"top\": 20, \"langs\": [\"en\", \"fr\"]}");
    long id = store.beginRun(start);
    Run run = store.run(id).orElseThrow();
    assertEquals(id, run.id());
    assertEquals(start.workflowName(), run.start().workflowName());
    assertEquals(start.workflowSource(), run.start().workflowSource());
    assertEquals(start.workflowText(), run.start().workflowText());
    assertEquals(start.workflowSha256(), run.start().workflowSha256());
    assertEquals(start.paramsJson(), run.start().paramsJson());
    assertEquals(start.process().user(), run.start().process().user());
    assertEquals(start.process().host(), run.start().process().host());
    assertEquals(start.process().pid(), run.start().process().pid());
    assertEquals(start.versions(), run.start().versions());
    assertEquals("cpu", run.start().device());
    assertEquals("/tmp/workspace", run.start().workspace());
    assertEquals(RunStatus.RUNNING, run.status());
    assertNotNull(run.startedAt());
    assertNull(run.endedAt());
    assertEquals(1, run.attempt());

    assertTrue(store.heartbeat(id));
    store.finishRun(id, RunStatus.FAILED, "step scores failed: out of memory");
    Run ended = store.run(id).orElseThrow();
    assertEquals(RunStatus.FAILED, ended.status());
    assertEquals("step scores failed: out of memory", ended.message());
    assertNotNull(ended.endedAt());
    assertFalse(store.heartbeat(id), "a finished run has no heartbeat");
    assertThrows(IllegalStateException.class, () -> store.finishRun(id, RunStatus.SUCCEEDED, null));
    assertTrue(store.run(id + 1000).isEmpty());
  }

  @Test
  void stepsWithInputsOutputsArtifactsSourcesAndMetricsRoundTrip() {
    long runId = store.beginRun(TestStores.runStart("w", "{}"));
    long load = store.beginStep(TestStores.stepStart(runId, "model", "model.load", "memo-model"));
    long source = store.recordSource(load, SourceKind.MODEL, "all-MiniLM-L6-v2", "/models/minilm",
        SHA_A.toUpperCase(), "{\"layers\": 6}");
    store.finishStep(load, StepFinish.succeeded(
        List.of(new StepOutput("model", "LanguageModel", SHA_A, null, null)), Duration.ofMillis(1200)));

    StepStart scoreStart = TestStores.stepStart(runId, "scores", "neurons.lape", "memo-scores",
        new StepInput("model", load, "model", SHA_A));
    long score = store.beginStep(scoreStart);
    long artifactId = store.recordArtifact(score, "unit-scores", "7/scores/scores.json", SHA_B, 42);
    store.recordMetric(score, "entropy", "fr", 0.25);
    store.recordMetric(score, "units", null, 128);
    store.finishStep(score, StepFinish.succeeded(List.of(
        new StepOutput("scores", "UnitScores", SHA_B, "7/scores/scores.json", null),
        new StepOutput("count", "Long", "c4ca", null, "128")), Duration.ofMillis(3400)));

    StepRecord loaded = store.stepRecord(score).orElseThrow();
    assertEquals(scoreStart, loaded.start(), "the record holds what the step was begun with");
    assertEquals(runId, loaded.start().runId());
    assertEquals("scores", loaded.start().stepId());
    assertEquals("neurons.lape", loaded.start().stepName());
    assertEquals("org.neurite.workflow", loaded.start().bundleSymbolicName());
    assertEquals("0.1.0.SNAPSHOT", loaded.start().bundleVersion());
    assertEquals("{\"k\": 1}", loaded.start().paramsJson());
    assertEquals("memo-scores", loaded.start().memoKey());
    assertEquals(List.of(new StepInput("model", load, "model", SHA_A)), loaded.start().inputs());
    assertEquals(List.of(new StepOutput("count", "Long", "c4ca", null, "128"),
        new StepOutput("scores", "UnitScores", SHA_B, "7/scores/scores.json", null)), loaded.outputs());
    assertEquals(StepStatus.SUCCEEDED, loaded.status());
    assertEquals(3400L, loaded.durationMillis());
    assertNotNull(loaded.startedAt());
    assertNotNull(loaded.endedAt());
    assertNull(loaded.cachedFrom());

    List<Artifact> artifacts = store.artifacts(score);
    assertEquals(1, artifacts.size());
    Artifact artifact = artifacts.get(0);
    assertEquals(artifactId, artifact.id());
    assertEquals(runId, artifact.runId());
    assertEquals("unit-scores", artifact.kind());
    assertEquals("7/scores/scores.json", artifact.path());
    assertEquals(SHA_B, artifact.sha256());
    assertEquals(42, artifact.sizeBytes());

    RunDetail detail = store.runDetail(runId).orElseThrow();
    assertEquals(List.of("model", "scores"), detail.steps().stream().map(s -> s.start().stepId()).toList());
    assertEquals(List.of(), detail.producers(), "every input came from a step of the same run");
    assertEquals(List.of(artifactId), detail.artifacts().stream().map(Artifact::id).toList());
    SourceIdentity model = detail.sources().get(0);
    assertEquals(source, model.id());
    assertEquals(SourceKind.MODEL, model.kind());
    assertEquals("all-MiniLM-L6-v2", model.name());
    assertEquals("/models/minilm", model.sourcePath());
    assertEquals(SHA_A, model.contentHash(), "hashes are stored in lower case");
    assertEquals("{\"layers\": 6}", model.detailsJson());
    List<Metric> metrics = detail.metrics();
    assertEquals(2, metrics.size());
    assertEquals("scores", metrics.get(0).stepId());
    assertEquals("entropy", metrics.get(0).name());
    assertEquals("fr", metrics.get(0).group());
    assertEquals(0.25, metrics.get(0).value());
    assertEquals("", metrics.get(1).group(), "no group is stored as empty");

    assertEquals(List.of(artifactId), store.findArtifacts("7/scores/scores.json").stream().map(Artifact::id).toList());
    assertEquals(List.of(artifactId), store.findArtifacts("runs/7/scores/scores.json").stream().map(Artifact::id).toList());
    assertEquals(List.of(artifactId), store.findArtifacts(SHA_B.toUpperCase()).stream().map(Artifact::id).toList());
    assertTrue(store.findArtifacts("7/other.json").isEmpty());
  }

  @Test
  void failedAndCachedStepsKeepTheirError() {
    long runId = store.beginRun(TestStores.runStart("w", "{}"));
    long step = store.beginStep(TestStores.stepStart(runId, "a", "x.fail", null));
    store.finishStep(step, StepFinish.failed(new IllegalArgumentException("bad shape [2, 3]"), Duration.ofMillis(5)));
    StepRecord failed = store.stepRecord(step).orElseThrow();
    assertEquals(StepStatus.FAILED, failed.status());
    assertEquals("bad shape [2, 3]", failed.errorMessage());
    assertTrue(failed.errorStackTrace().contains("java.lang.IllegalArgumentException: bad shape [2, 3]"));
    assertTrue(failed.errorStackTrace().contains("StoreRoundTripTest"), "the full stack trace is kept");
    assertThrows(IllegalStateException.class,
        () -> store.finishStep(step, StepFinish.succeeded(List.of(), Duration.ZERO)));
    long reuse = store.beginStep(TestStores.stepStart(runId, "b", "x.fail", null));
    assertThrows(IllegalArgumentException.class,
        () -> store.finishStep(reuse, StepFinish.cached(step, List.of(), Duration.ZERO)),
        "a failed record's outputs cannot be reused");
    assertThrows(IllegalArgumentException.class, () -> store.recordMetric(step + 999, "m", "", 1));
    assertThrows(IllegalArgumentException.class,
        () -> store.recordArtifact(step, "k", "../escape.json", SHA_A, 1));
    assertThrows(IllegalArgumentException.class,
        () -> store.recordArtifact(step, "k", "/abs/file.json", SHA_A, 1));
    assertThrows(IllegalArgumentException.class,
        () -> store.recordArtifact(step, "k", "ok.json", "not-a-hash", 1));
  }

  @Test
  void cachedRecordsPointToTheRecordThatComputedTheOutputs() {
    long first = store.beginRun(TestStores.runStart("w", "{}"));
    long computed = store.beginStep(TestStores.stepStart(first, "a", "x.y", "m1"));
    store.recordArtifact(computed, "k", "1/a.json", SHA_A, 3);
    store.recordMetric(computed, "loss", "", 1.5);
    store.finishStep(computed, StepFinish.succeeded(List.of(), Duration.ofMillis(10)));
    store.finishRun(first, RunStatus.SUCCEEDED, null);

    long second = store.beginRun(TestStores.runStart("w", "{}"));
    long cached = store.beginStep(TestStores.stepStart(second, "a", "x.y", "m1"));
    store.finishStep(cached, StepFinish.cached(computed, List.of(), Duration.ofMillis(1)));
    long third = store.beginRun(TestStores.runStart("w", "{}"));
    long cachedAgain = store.beginStep(TestStores.stepStart(third, "a", "x.y", "m1"));
    store.finishStep(cachedAgain, StepFinish.cached(cached, List.of(), Duration.ofMillis(1)));

    assertEquals(computed, store.stepRecord(cachedAgain).orElseThrow().cachedFrom(),
        "a record cached from a cached record points to the one that computed");
    RunDetail detail = store.runDetail(third).orElseThrow();
    assertEquals(List.of("1/a.json"), detail.artifacts().stream().map(Artifact::path).toList());
    assertEquals(1, detail.metrics().size());
    assertEquals("a", detail.metrics().get(0).stepId());
  }

  @Test
  void listsRunsNewestFirstWithStepCounts() {
    long a = store.beginRun(TestStores.runStart("first", "{}"));
    long b = store.beginRun(TestStores.runStart("second", "{}"));
    long s1 = store.beginStep(TestStores.stepStart(b, "x", "x.y", null));
    store.finishStep(s1, StepFinish.succeeded(List.of(), Duration.ZERO));
    long s2 = store.beginStep(TestStores.stepStart(b, "y", "x.y", null));
    store.finishStep(s2, StepFinish.failed(new RuntimeException("boom"), Duration.ZERO));
    store.finishRun(b, RunStatus.FAILED, "boom");

    List<RunSummary> runs = store.listRuns(10);
    assertEquals(List.of(b, a), runs.stream().map(RunSummary::id).toList());
    RunSummary second = runs.get(0);
    assertEquals("second", second.workflowName());
    assertEquals(RunStatus.FAILED, second.status());
    assertEquals(2, second.steps());
    assertEquals(1, second.succeeded());
    assertEquals(1, second.failed());
    assertEquals(0, second.cached());
    assertNotNull(second.endedAt());
    assertEquals(0, runs.get(1).steps());
    assertEquals(List.of(b), store.listRuns(1).stream().map(RunSummary::id).toList());
  }

  @Test
  void resumeReopensOnlyUnfinishedRunsAndKeepsCompletedSteps() {
    long runId = store.beginRun(TestStores.runStart("w", "{}"));
    long a = store.beginStep(TestStores.stepStart(runId, "a", "x.y", null));
    store.finishStep(a, StepFinish.succeeded(List.of(), Duration.ZERO));
    long b = store.beginStep(TestStores.stepStart(runId, "b", "x.y", null));
    store.finishStep(b, StepFinish.failed(new RuntimeException("first try"), Duration.ZERO));
    store.finishRun(runId, RunStatus.FAILED, "b failed");

    ProcessIdentity other = new ProcessIdentity("bob", "lab-7", 4242, null);
    Run resumed = store.resumeRun(runId, other);
    assertEquals(RunStatus.RUNNING, resumed.status());
    assertEquals(2, resumed.attempt());
    assertNull(resumed.endedAt());
    assertEquals("lab-7", resumed.start().process().host());
    NeuriteException twice = assertThrows(NeuriteException.class, () -> store.resumeRun(runId, other));
    assertTrue(twice.getMessage().contains("Run " + runId + " is RUNNING"), twice.getMessage());

    assertEquals(List.of(a), store.completedSteps(runId).stream().map(StepRecord::id).toList());
    long b2 = store.beginStep(TestStores.stepStart(runId, "b", "x.y", null));
    store.finishStep(b2, StepFinish.succeeded(List.of(), Duration.ZERO));
    store.finishRun(runId, RunStatus.SUCCEEDED, null);
    assertEquals(List.of(a, b2), store.completedSteps(runId).stream().map(StepRecord::id).toList());

    NeuriteException done = assertThrows(NeuriteException.class, () -> store.resumeRun(runId, other));
    assertTrue(done.getMessage().contains("SUCCEEDED"), done.getMessage());
    NeuriteException missing = assertThrows(NeuriteException.class, () -> store.resumeRun(9999, other));
    assertTrue(missing.getMessage().contains("no run 9999"), missing.getMessage());
  }

  @Test
  void comparesParametersVersionsStepsAndMetrics() {
    long left = store.beginRun(TestStores.runStart("w", "{\"top\": 20, \"lang\": \"fr\"}"));
    long l1 = store.beginStep(TestStores.stepStart(left, "scores", "neurons.lape", null));
    store.recordMetric(l1, "accuracy", "fr", 0.5);
    store.finishStep(l1, StepFinish.succeeded(List.of(), Duration.ZERO));
    store.finishRun(left, RunStatus.SUCCEEDED, null);

    RunStart rightStart = TestStores.runStart("w", "{\"top\": 50, \"lang\": \"fr\", \"seed\": 1}");
    long right = store.beginRun(new RunStart(rightStart.workflowName(), rightStart.workflowSource(),
        rightStart.workflowText(), rightStart.workflowSha256(), rightStart.paramsJson(),
        rightStart.process(), rightStart.versions(), "cuda:0", rightStart.workspace()));
    long r1 = store.beginStep(TestStores.stepStart(right, "scores", "neurons.lape", null));
    store.recordMetric(r1, "accuracy", "fr", 0.75);
    store.finishStep(r1, StepFinish.succeeded(List.of(), Duration.ZERO));
    store.finishRun(right, RunStatus.SUCCEEDED, null);

    RunComparison cmp = store.compareRuns(left, right).orElseThrow();
    assertEquals(List.of(new ComparedValue("lang", "\"fr\"", "\"fr\""),
        new ComparedValue("seed", null, "1"), new ComparedValue("top", "20", "50")), cmp.params());
    assertEquals(new ComparedValue("scores/fr/accuracy", "0.5", "0.75"), cmp.metrics().get(0));
    ComparedValue device = cmp.versions().stream().filter(v -> v.key().equals("device")).findFirst().orElseThrow();
    assertEquals(new ComparedValue("device", "cpu", "cuda:0"), device);
    assertTrue(cmp.versions().stream().filter(v -> v.key().equals("djl")).findFirst().orElseThrow().same());
    assertTrue(cmp.steps().get(0).same());
    assertTrue(store.compareRuns(left, 9999).isEmpty());
  }
}
