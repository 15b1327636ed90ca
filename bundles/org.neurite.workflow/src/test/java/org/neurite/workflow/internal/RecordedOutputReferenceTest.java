package org.neurite.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStatus;
import org.neurite.api.workflow.RunOptions;
import org.neurite.api.workflow.RunOutcome;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.provenance.h2.internal.H2ProvenanceStore;
import org.neurite.support.files.WorkspaceFolders;

/**
 * {@code ${runs.N.step.output}}: an output an earlier run recorded, used by a new workflow after the
 * step that produced it is gone, restored by its recorded type; and every way such a reference can
 * be wrong, each one message naming the step, the reference and the fix. The real engine on the real
 * H2 store.
 */
class RecordedOutputReferenceTest {
  @TempDir Path workspace;
  private H2ProvenanceStore store;
  private WorkflowEngine engine;
  private final TestSteps.TallyCodec codec = new TestSteps.TallyCodec();
  private final TestSteps.TallyStep tally = new TestSteps.TallyStep();
  private final TestSteps.Total total = new TestSteps.Total();
  private final WorkflowEngineTest.Events console = new WorkflowEngineTest.Events();

  @BeforeEach
  void start() {
    store = H2ProvenanceStore.embedded(workspace, Duration.ofSeconds(1));
    engine = new WorkflowEngine(store, new DjlTensorBackend(), WorkspaceFolders.of(workspace), "test");
    engine.addCodec(codec);
    for (var step : List.of(tally, total, new TestSteps.Numbers(), new TestSteps.Sum(), new TestSteps.Fail())) {
      engine.add(TestSteps.registered(step));
    }
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private Path workflow(String name, String... steps) throws Exception {
    Path file = workspace.resolve("workflows/" + name + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"name\": \"" + name + "\", \"steps\": [" + String.join(",", steps) + "]}");
    return file;
  }

  private RunOutcome run(Path file) {
    return engine.run(file, RunOptions.defaults(), console);
  }

  /** Runs test.tally of 1..4 as step "count" and returns the run's id. */
  private long tallyRun() throws Exception {
    RunOutcome made = run(workflow("made", "{\"id\": \"count\", \"uses\": \"test.tally\", \"with\": {\"n\": 4}}"));
    assertEquals(RunStatus.SUCCEEDED, made.status(), console.toString());
    return made.runId();
  }

  private String problem(Path file) {
    return assertThrows(NeuriteException.class, () -> engine.validate(file, RunOptions.defaults())).getMessage();
  }

  private static String total(String reference) {
    return "{\"id\": \"total\", \"uses\": \"test.total\", \"with\": {\"tally\": \"" + reference + "\", \"scale\": 2}}";
  }

  @Test
  void aRecordedOutputIsRestoredByItsTypeAfterItsProducerIsGoneAndRecordedAsTheInput() throws Exception {
    long made = tallyRun();
    StepRecord count = store.runDetail(made).orElseThrow().steps().get(0);
    StepOutput recorded = count.outputs().get(0);
    engine.removeStep(null, tally);
    assertTrue(engine.step("test.tally").isEmpty(), "the producing step is gone");

    Path file = workflow("uses", total("${runs." + made + ".count.tally}"));
    RunOutcome outcome = run(file);
    assertEquals(RunStatus.SUCCEEDED, outcome.status(), outcome.message());
    assertEquals(1, tally.runs, "the producer did not run again");
    assertEquals(1, codec.restored, "the value came back through the codec of its recorded type");
    var detail = store.runDetail(outcome.runId()).orElseThrow();
    StepRecord used = detail.steps().get(0);
    assertEquals(List.of(count.id()), detail.producers().stream().map(StepRecord::id).toList(),
        "the run's detail carries the record of run " + made + " it read from");
    assertEquals("20.0", used.outputs().get(0).valueJson(), "(1 + 2 + 3 + 4) * 2");
    assertEquals(List.of(new StepInput("tally", count.id(), "tally", recorded.valueHash())), used.start().inputs(),
        "recorded as an input from run " + made + "'s step record, with the recorded hash");

    Lineage lineage = store.lineageOfRun(outcome.runId()).orElseThrow();
    assertEquals(List.of("uses/total@0", "made/count@1"), lineage.steps().stream()
        .map(s -> s.workflowName() + "/" + s.step().start().stepId() + "@" + s.depth()).toList(),
        "the lineage names where the input came from");

    RunOutcome again = run(file);
    assertEquals(StepStatus.CACHED, again.steps().get(0).status(), "the recorded hash is in the memo key");
    assertEquals(1, codec.restored, "a cached consumer restores nothing (lazily, as for cached outputs)");
  }

  @Test
  void aRecordedFileOrValueIsBoundByTheRulesTheEngineRestoresBy() throws Exception {
    RunOutcome chain = run(workflow("chain", "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}",
        "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.file}\"}}"));
    assertEquals(RunStatus.SUCCEEDED, chain.status(), console.toString());
    long id = chain.runId();
    RunOutcome file = run(workflow("file", "{\"id\": \"again\", \"uses\": \"test.sum\","
        + " \"with\": {\"numbers\": \"${runs." + id + ".nums.file}\", \"scale\": 3}}"));
    assertEquals(RunStatus.SUCCEEDED, file.status(), file.message());
    assertEquals("30.0", store.runDetail(file.runId()).orElseThrow().steps().get(0).outputs().get(0).valueJson());

    RunOutcome value = run(workflow("value", "{\"id\": \"check\", \"uses\": \"test.fail\","
        + " \"with\": {\"total\": \"${runs." + id + ".nums.count}\"}}"));
    assertTrue(value.message().contains("the input was not acceptable: 4.0"), "the recorded 4 reached a Double input as 4.0: "
        + value.message());
  }

  @Test
  void eachWrongReferenceIsOneMessageNamingTheStepTheReferenceAndTheFix() throws Exception {
    long made = tallyRun();
    String at = "step 'total': input 'tally' refers to ";
    assertEquals(workspace.resolve("workflows/w.json") + ", step 'total': input 'tally' refers to ${runs.99.count.tally},"
        + " but there is no run 99; `runs` lists the recorded runs", problem(workflow("w", total("${runs.99.count.tally}"))));

    String step = problem(workflow("w", total("${runs." + made + ".cnt.tally}")));
    assertTrue(step.contains(at + "${runs." + made + ".cnt.tally}, but run " + made + " (made) has no step 'cnt';"
        + " its steps: count"), step);

    String output = problem(workflow("w", total("${runs." + made + ".count.tallies}")));
    assertTrue(output.contains(at + "${runs." + made + ".count.tallies}, but step 'count' of run " + made + " (made)"
        + " recorded no output 'tallies'; its outputs: ${runs." + made + ".count.tally}"), output);

    String type = problem(workflow("w", "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${runs."
        + made + ".count}\"}}"));
    assertTrue(type.contains("step 'sum': input 'numbers' needs Path, but ${runs." + made + ".count.tally} is Tally"
        + " (recorded as type test-tally); bind it to an output of the right type"), type);

    String param = problem(workflow("w", "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": \"${runs."
        + made + ".count.tally}\"}}"));
    assertTrue(param.contains("step 'nums': parameter 'n' takes a value, not ${runs." + made + ".count.tally};"
        + " only inputs bind"), param);

    engine.removeCodec(codec);
    String noCodec = problem(workflow("w", total("${runs." + made + ".count.tally}")));
    assertTrue(noCodec.contains("step 'total': input 'tally' needs Tally, but ${runs." + made + ".count.tally} was"
        + " recorded as type test-tally, which no installed bundle restores; install the bundle that provides that type"),
        noCodec);
  }

  @Test
  void aStepThatDidNotCompleteOrRecordedSeveralOutputsIsRefusedWithWhatToDo() throws Exception {
    RunOutcome failed = run(workflow("failing", "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 2}}",
        "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.file}\"}}",
        "{\"id\": \"check\", \"uses\": \"test.fail\", \"with\": {\"total\": \"${sum.total}\"}}"));
    assertEquals(RunStatus.FAILED, failed.status());
    long id = failed.runId();
    String notDone = problem(workflow("w", "{\"id\": \"again\", \"uses\": \"test.fail\", \"with\": {\"total\": \"${runs."
        + id + ".check.total}\"}}"));
    assertTrue(notDone.contains("step 'again': input 'total' refers to ${runs." + id + ".check.total}, but step 'check'"
        + " of run " + id + " (failing) did not complete (FAILED); `resume " + id + "` first, or refer to a run in which"
        + " it completed"), notDone);

    String several = problem(workflow("w", "{\"id\": \"again\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${runs."
        + id + ".nums}\"}}"));
    assertTrue(several.contains("step 'again': input 'numbers' refers to ${runs." + id + ".nums}, but step 'nums' of run "
        + id + " (failing) recorded 2 outputs; name one: ${runs." + id + ".nums.count}, ${runs." + id + ".nums.file}"),
        several);

    String value = problem(workflow("w", "{\"id\": \"again\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${runs."
        + id + ".sum.total}\"}}"));
    assertTrue(value.contains("step 'again': input 'numbers' needs Path, but ${runs." + id + ".sum.total} is the value"
        + " 3.0; bind it to an output of the right type"), value);

    String file = problem(workflow("w", total("${runs." + id + ".nums.file}")));
    assertTrue(file.contains("step 'total': input 'tally' needs Tally, but ${runs." + id + ".nums.file} is a file ("
        + id + "/nums/numbers.txt)"), file);
  }
}
