package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.LineageStep;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.SourceKind;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;

class LineageTest {
  @TempDir Path dir;
  private H2ProvenanceStore store;

  private static final String MODEL_HASH = "aa".repeat(32);
  private static final String DATA_HASH = "bb".repeat(32);
  private static final String SCORES_SHA = "cc".repeat(32);
  private static final String SET_SHA = "dd".repeat(32);

  private long model;
  private long data;
  private long scores;
  private long select;
  private long firstRun;

  @BeforeEach
  void recordAWorkflow() {
    store = TestStores.store(dir);
    firstRun = store.beginRun(TestStores.runStart("lape", "{}"));
    model = store.beginStep(TestStores.stepStart(firstRun, "model", "model.load", "m-model"));
    store.recordSource(model, SourceKind.MODEL, "minilm", "/models/minilm", MODEL_HASH, null);
    store.finishStep(model, StepFinish.succeeded(
        List.of(new StepOutput("model", "LanguageModel", MODEL_HASH, null, null)), Duration.ZERO));
    data = store.beginStep(TestStores.stepStart(firstRun, "data", "dataset.jsonl", "m-data"));
    store.recordSource(data, SourceKind.DATASET, "flores", "datasets/flores.jsonl", DATA_HASH, "{\"lines\": 1000}");
    store.finishStep(data, StepFinish.succeeded(
        List.of(new StepOutput("dataset", "Dataset", DATA_HASH, null, null)), Duration.ZERO));
    scores = store.beginStep(TestStores.stepStart(firstRun, "scores", "neurons.lape", "m-scores",
        new StepInput("model", model, "model", MODEL_HASH), new StepInput("dataset", data, "dataset", DATA_HASH)));
    store.recordArtifact(scores, "unit-scores", "1/scores.safetensors", SCORES_SHA, 100);
    store.finishStep(scores, StepFinish.succeeded(List.of(
        new StepOutput("scores", "UnitScores", SCORES_SHA, "1/scores.safetensors", null)), Duration.ZERO));
    select = store.beginStep(TestStores.stepStart(firstRun, "select", "select.top-k", "m-select",
        new StepInput("scores", scores, "scores", SCORES_SHA)));
    store.recordArtifact(select, "neuron-set", "1/neurons.json", SET_SHA, 50);
    store.finishStep(select, StepFinish.succeeded(List.of(), Duration.ZERO));
    store.finishRun(firstRun, RunStatus.SUCCEEDED, null);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Map<Long, Integer> depths(Lineage lineage) {
    return lineage.steps().stream().collect(Collectors.toMap(s -> s.step().id(), LineageStep::depth));
  }

  @Test
  void anArtifactLeadsBackThroughTwoStepsToItsModelAndDataset() {
    Lineage lineage = store.lineageOfArtifact("1/neurons.json").orElseThrow();
    assertEquals(Map.of(select, 0, scores, 1, model, 2, data, 2), depths(lineage));
    assertEquals("lape", lineage.steps().get(0).workflowName());
    assertEquals(List.of("1/neurons.json"),
        lineage.steps().get(0).artifacts().stream().map(a -> a.path()).toList());
    assertEquals(List.of(SourceKind.MODEL, SourceKind.DATASET),
        lineage.sources().stream().map(SourceIdentity::kind).toList());
    assertEquals(List.of(MODEL_HASH, DATA_HASH),
        lineage.sources().stream().map(SourceIdentity::contentHash).toList());

    assertEquals(depths(lineage), depths(store.lineageOfArtifact(SET_SHA).orElseThrow()),
        "an artifact can be named by its hash too");
    assertTrue(store.lineageOfArtifact("1/missing.json").isEmpty());
  }

  @Test
  void aCachedRunLeadsBackToTheRunThatComputed() {
    long secondRun = store.beginRun(TestStores.runStart("lape-again", "{}"));
    long cachedScores = store.beginStep(TestStores.stepStart(secondRun, "scores", "neurons.lape", "m-scores"));
    store.finishStep(cachedScores, StepFinish.cached(scores, List.of(), Duration.ZERO));
    long report = store.beginStep(TestStores.stepStart(secondRun, "report", "report.summary", null,
        new StepInput("scores", cachedScores, "scores", SCORES_SHA)));
    store.finishStep(report, StepFinish.succeeded(List.of(), Duration.ZERO));
    store.finishRun(secondRun, RunStatus.SUCCEEDED, null);

    Lineage lineage = store.lineageOfRun(secondRun).orElseThrow();
    assertEquals(Map.of(cachedScores, 0, report, 0, scores, 1, model, 2, data, 2), depths(lineage));
    assertEquals(2, lineage.sources().size());
    LineageStep origin = lineage.steps().stream().filter(s -> s.step().id() == scores).findFirst().orElseThrow();
    assertEquals("lape", origin.workflowName());
    assertEquals(firstRun, origin.step().start().runId());
    assertTrue(store.lineageOfRun(9999).isEmpty());
  }
}
