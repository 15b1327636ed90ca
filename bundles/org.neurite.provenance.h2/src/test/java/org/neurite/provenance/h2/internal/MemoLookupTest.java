package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.MemoHit;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;
import org.neurite.support.files.ContentHash;

class MemoLookupTest {
  @TempDir Path dir;
  private Path runs;
  private H2ProvenanceStore store;

  @BeforeEach
  void open() throws IOException {
    runs = Files.createDirectories(dir.resolve("runs"));
    store = TestStores.store(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A succeeded step with key {@code memoKey} that wrote {@code content} to runs/{@code path}. */
  private long computed(String memoKey, String path, String content) throws IOException {
    long runId = store.beginRun(TestStores.runStart("w", "{}"));
    long step = store.beginStep(TestStores.stepStart(runId, "scores", "neurons.lape", memoKey));
    Path file = runs.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    store.recordArtifact(step, "unit-scores", path, ContentHash.sha256(file), Files.size(file));
    store.finishStep(step, StepFinish.succeeded(List.of(), Duration.ofMillis(3)));
    store.finishRun(runId, RunStatus.SUCCEEDED, null);
    return step;
  }

  @Test
  void reusesTheNewestIntactSucceededRecordWithTheSameKey() throws IOException {
    long older = computed("key-1", "1/scores.json", "[1, 2, 3]");
    long newer = computed("key-1", "2/scores.json", "[1, 2, 3]");
    computed("key-2", "3/scores.json", "[9]");

    MemoHit hit = store.findReusable("key-1", runs).orElseThrow();
    assertEquals(newer, hit.step().id());
    assertEquals(List.of("2/scores.json"), hit.artifacts().stream().map(Artifact::path).toList());

    // the newer file changes, same size: its hash no longer matches, the older one is used
    Files.writeString(runs.resolve("2/scores.json"), "[1, 2, 4]", StandardCharsets.UTF_8);
    assertEquals(older, store.findReusable("key-1", runs).orElseThrow().step().id());

    // the older file is deleted: nothing left to reuse
    Files.delete(runs.resolve("1/scores.json"));
    assertTrue(store.findReusable("key-1", runs).isEmpty());
    assertTrue(store.findReusable("key-unknown", runs).isEmpty());
  }

  @Test
  void artifactProblemChecksAStepRecordOrTheRecordItReused() throws IOException {
    long computed = computed("key", "1/scores.json", "[1, 2, 3]");
    long runId = store.beginRun(TestStores.runStart("w", "{}"));
    long cached = store.beginStep(TestStores.stepStart(runId, "scores", "neurons.lape", "key"));
    store.finishStep(cached, StepFinish.cached(computed, List.of(), Duration.ZERO));
    assertTrue(store.artifactProblem(computed, runs).isEmpty());
    assertTrue(store.artifactProblem(cached, runs).isEmpty());

    Files.delete(runs.resolve("1/scores.json"));
    assertTrue(store.artifactProblem(cached, runs).orElseThrow().contains("no longer exists"));
    assertThrows(IllegalArgumentException.class, () -> store.artifactProblem(9999, runs));
  }

  @Test
  void aTruncatedArtifactIsNotReused() throws IOException {
    computed("key", "1/scores.json", "[1, 2, 3]");
    Files.writeString(runs.resolve("1/scores.json"), "[1, 2", StandardCharsets.UTF_8);
    assertTrue(store.findReusable("key", runs).isEmpty());
  }

  @Test
  void onlySucceededRecordsAreReusedAndOnesWithoutArtifactsQualify() {
    long runId = store.beginRun(TestStores.runStart("w", "{}"));
    long failed = store.beginStep(TestStores.stepStart(runId, "a", "x.y", "key"));
    store.finishStep(failed, StepFinish.failed(new RuntimeException("no"), Duration.ZERO));
    long running = store.beginStep(TestStores.stepStart(runId, "a", "x.y", "key"));
    assertTrue(store.findReusable("key", runs).isEmpty(), "failed and running records are not reused");

    store.finishStep(running, StepFinish.succeeded(List.of(), Duration.ZERO));
    assertEquals(running, store.findReusable("key", runs).orElseThrow().step().id());

    long cachedRun = store.beginRun(TestStores.runStart("w", "{}"));
    long cached = store.beginStep(TestStores.stepStart(cachedRun, "a", "x.y", "key"));
    store.finishStep(cached, StepFinish.cached(running, List.of(), Duration.ZERO));
    assertEquals(running, store.findReusable("key", runs).orElseThrow().step().id(),
        "the hit is the record that computed the outputs, not a cached copy");
  }

  @Test
  void artifactsOutsideTheRunsFolderAreNeverTrusted() throws IOException {
    Path outside = Files.writeString(dir.resolve("elsewhere.json"), "x");
    List<Artifact> escaping = List.of(new Artifact(1, 1, 1, "k", "../elsewhere.json",
        ContentHash.sha256(outside), 1, null));
    assertTrue(MemoFinder.firstProblem(escaping, runs).orElseThrow().contains("outside"));
  }
}
