package org.neurite.workflow.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;
import org.neurite.api.workflow.RunOptions;
import org.neurite.testkit.FuzzBounds;

/**
 * Any bytes as a workflow file: it is read and validated against the test steps (with and without
 * {@code --set} overrides) into a plan, or one message naming the file.
 */
class WorkflowFuzzTest {
  private static final Map<String, StepSpec> REGISTRY = new HashMap<>();
  private static final List<RunOptions> OPTIONS = List.of(RunOptions.defaults(),
      new RunOptions(Map.of("n", "3", "label", "x", "count", "1.5e3"), true, "cpu"));
  private static Path file;

  static {
    for (Step step : List.of(new TestSteps.Numbers(), new TestSteps.Sum(), new TestSteps.Fail(), new TestSteps.Lines())) {
      REGISTRY.put(step.spec().name(), step.spec());
    }
    StepSpec.Builder all = StepSpec.named("test.all").summary("takes one parameter of each type");
    for (ParamType type : ParamType.values()) {
      all.param(ParamSpec.optional(type.jsonName(), type, type == ParamType.STRING_LIST || type == ParamType.INTEGER_LIST
          ? "[]" : type == ParamType.BOOLEAN ? "false" : type == ParamType.STRING || type == ParamType.PATH ? "\"x\"" : "0",
          "a " + type.jsonName()));
    }
    all.input("numbers", Path.class, "a file").output("total", Double.class, "a number");
    REGISTRY.put("test.all", all.build());
  }

  @FuzzTest(maxDuration = "10s")
  void validate(byte[] input) throws IOException {
    Path path = file();
    Files.write(path, input);
    for (RunOptions options : OPTIONS) {
      FuzzBounds.check(input.length, 256, 16 << 20, path.toString(),
          () -> Validator.validate(WorkflowParser.read(path), REGISTRY, options));
    }
  }

  private static synchronized Path file() {
    if (file == null) {
      try {
        file = Files.createTempDirectory("fuzz-workflow").resolve("workflow.json");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }
}
