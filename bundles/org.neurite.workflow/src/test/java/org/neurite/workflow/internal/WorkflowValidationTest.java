package org.neurite.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;
import org.neurite.api.step.StepSpec;
import org.neurite.api.workflow.RunOptions;

/** Every kind of bad workflow file gives one clear message naming the file, the step and the fix. */
class WorkflowValidationTest {
  private static final Path FILE = Path.of("workflows/test.json");
  private static final Map<String, StepSpec> REGISTRY = new HashMap<>();

  static {
    for (var step : List.of(new TestSteps.Numbers(), new TestSteps.Sum(), new TestSteps.Fail())) {
      REGISTRY.put(step.spec().name(), step.spec());
    }
  }

  private static Plan plan(String json) {
    return plan(json, RunOptions.defaults());
  }

  private static Plan plan(String json, RunOptions options) {
    return Validator.validate(WorkflowParser.parse(FILE, json), REGISTRY, options);
  }

  private static String problem(String json) {
    return assertThrows(NeuriteException.class, () -> plan(json)).getMessage();
  }

  private static String steps(String... steps) {
    return "{\"name\": \"t\", \"steps\": [" + String.join(",", steps) + "]}";
  }

  @Test
  void validWorkflowIsOrderedByDependencies() {
    Plan plan = plan(steps(
        "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.file}\"}}",
        "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}"));
    assertEquals(List.of("nums", "sum"), plan.steps().stream().map(Plan.PlannedStep::id).toList());
    assertEquals("cpu", plan.device());
  }

  @Test
  void malformedJsonNamesTheFileAndPosition() {
    String message = problem("{\"name\": \"t\", \"steps\": [ {\"id\": \"a\",, } ]}");
    assertTrue(message.startsWith(FILE + ": not valid JSON"), message);
    assertTrue(message.contains("line 1 column"), message);
  }

  @Test
  void unknownStepSuggestsTheClosestNames() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbrs\", \"with\": {\"n\": 4}}"));
    assertTrue(message.contains("step 'nums': unknown step \"test.numbrs\" (did you mean test.numbers?)"), message);
  }

  @Test
  void unknownParameterListsWhatTheStepTakes() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4, \"m\": 2}}"));
    assertTrue(message.contains("step 'nums': step test.numbers has no parameter or input 'm'"), message);
    assertTrue(message.contains("it takes: n, label"), message);
  }

  @Test
  void missingRequiredParameterSaysWhatToAdd() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {}}"));
    assertTrue(message.contains("step 'nums': missing required parameter 'n' (integer: how many numbers); add \"n\""), message);
  }

  @Test
  void mistypedParameterSaysTheType() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": \"four\"}}"));
    assertTrue(message.contains("step 'nums': parameter 'n' must be an integer, not a string (\"four\")"), message);
    String fraction = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 2.5}}"));
    assertTrue(fraction.contains("must be an integer, not a number (2.5)"), fraction);
  }

  @Test
  void danglingReferenceNamesTheMissingStep() {
    String message = problem(steps("{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${numz.file}\"}}",
        "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}"));
    assertTrue(message.contains("step 'sum': input 'numbers' refers to ${numz.file}, but no step has the id 'numz'"
        + " (did you mean nums?)"), message);
  }

  @Test
  void referenceToAnUndeclaredOutputListsTheOutputs() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}",
        "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.lines}\"}}"));
    assertTrue(message.contains("has no output 'lines'; its outputs: ${nums.file}, ${nums.count}"), message);
    String ambiguous = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}",
        "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums}\"}}"));
    assertTrue(ambiguous.contains("step 'nums' has 2 outputs; name one"), ambiguous);
  }

  @Test
  void incompatibleInputTypeIsRefused() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}",
        "{\"id\": \"sum\", \"uses\": \"test.sum\", \"with\": {\"numbers\": \"${nums.count}\"}}"));
    assertTrue(message.contains("step 'sum': input 'numbers' needs Path, but ${nums.count} is Long"), message);
  }

  @Test
  void realCycleIsReported() {
    Map<String, StepSpec> registry = new HashMap<>(REGISTRY);
    StepSpec loop = StepSpec.named("test.loop").summary("passes a file on")
        .input("in", java.nio.file.Path.class, "a file").output("out", java.nio.file.Path.class, "the same file").build();
    registry.put(loop.name(), loop);
    String json = steps("{\"id\": \"x\", \"uses\": \"test.loop\", \"with\": {\"in\": \"${y.out}\"}}",
        "{\"id\": \"y\", \"uses\": \"test.loop\", \"with\": {\"in\": \"${x.out}\"}}");
    String message = assertThrows(NeuriteException.class,
        () -> Validator.validate(WorkflowParser.parse(FILE, json), registry, RunOptions.defaults())).getMessage();
    assertTrue(message.contains("the steps form a cycle: x -> y -> x"), message);
  }

  @Test
  void duplicateIdsAreRefused() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 4}}",
        "{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": 5}}"));
    assertTrue(message.contains("step 'nums': the id is used by another step too"), message);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String message = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": \"x\", \"q\": 1}}",
        "{\"id\": \"other\", \"uses\": \"nope\"}"));
    assertTrue(message.startsWith("3 problems in " + FILE), message);
  }

  @Test
  void structuralMistakesAreNamed() {
    String message = problem("{\"name\": \"t\", \"step\": []}");
    assertTrue(message.contains("unknown key \"step\" at the top level"), message);
    assertTrue(message.contains("\"steps\" must be a non-empty array"), message);
  }

  @Test
  void workflowParametersAndOverridesAreTyped() {
    String json = "{\"name\": \"t\", \"params\": {\"n\": {\"type\": \"integer\", \"default\": 3, \"help\": \"count\"}},"
        + " \"steps\": [{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": \"${params.n}\","
        + " \"label\": \"n=${params.n}\"}}]}";
    Plan plan = plan(json, new RunOptions(Map.of("n", "7"), false, null));
    assertEquals(7, plan.steps().get(0).params().get("n").getAsLong());
    assertEquals("n=7", plan.steps().get(0).params().get("label").getAsString());
    String bad = assertThrows(NeuriteException.class, () -> plan(json, new RunOptions(Map.of("n", "seven"), false, null)))
        .getMessage();
    assertTrue(bad.contains("--set n=seven: parameter 'n' must be integer"), bad);
    String unknown = assertThrows(NeuriteException.class, () -> plan(json, new RunOptions(Map.of("m", "1"), false, null)))
        .getMessage();
    assertTrue(unknown.contains("--set m: the workflow has no parameter 'm'"), unknown);
    String undeclared = problem(steps("{\"id\": \"nums\", \"uses\": \"test.numbers\", \"with\": {\"n\": \"${params.k}\"}}"));
    assertTrue(undeclared.contains("refers to ${params.k}, which the workflow does not declare"), undeclared);
  }
}
