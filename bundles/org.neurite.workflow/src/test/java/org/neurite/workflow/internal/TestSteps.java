package org.neurite.workflow.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StepContext;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.neurite.api.value.ValueCodec;

/** Small real steps for engine tests: they write artifacts, read them back and record metrics. */
final class TestSteps {
  private TestSteps() {}

  /** {@code test.numbers}: writes 1..n, one per line, and outputs the file and n. */
  static final class Numbers implements Step {
    int runs;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.numbers").summary("writes the numbers 1..n")
          .param(ParamSpec.required("n", ParamType.INTEGER, "how many numbers"))
          .param(ParamSpec.optional("label", ParamType.STRING, "\"numbers\"", "a label"))
          .output("file", Path.class, "the numbers, one per line")
          .output("count", Long.class, "n")
          .build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      runs++;
      long n = context.param("n", Long.class);
      Path file = context.artifacts().write("numbers.txt", "numbers", tmp -> {
        StringBuilder text = new StringBuilder();
        for (long i = 1; i <= n; i++) {
          text.append(i).append('\n');
        }
        Files.writeString(tmp, text);
      });
      return StepResult.of("file", file, "count", n);
    }
  }

  /** {@code test.lines}: counts the lines of a file named by a path parameter; records the count. */
  static final class Lines implements Step {
    int runs;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.lines").summary("counts the lines of a file")
          .param(ParamSpec.required("file", ParamType.PATH, "a text file"))
          .output("count", Long.class, "its lines")
          .build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      runs++;
      long count = Files.readAllLines(context.param("file", Path.class)).size();
      context.metric("lines", "all", count);
      return StepResult.of("count", count);
    }
  }

  /** {@code test.sum}: sums a numbers file times a scale; records the sum as a metric. */
  static final class Sum implements Step {
    int runs;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.sum").summary("sums a numbers file")
          .param(ParamSpec.optional("scale", ParamType.NUMBER, "1", "a factor"))
          .input("numbers", Path.class, "a numbers file")
          .output("total", Double.class, "the scaled sum")
          .build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      runs++;
      List<String> lines = Files.readAllLines(context.input("numbers", Path.class));
      double total = lines.stream().mapToLong(Long::parseLong).sum() * context.param("scale", Double.class);
      context.metric("sum", "all", total);
      return StepResult.of("total", total);
    }
  }

  /** {@code test.fail}: fails with a user error. */
  static final class Fail implements Step {
    @Override
    public StepSpec spec() {
      return StepSpec.named("test.fail").summary("always fails").input("total", Double.class, "anything").build();
    }

    @Override
    public StepResult run(StepContext context) {
      throw new NeuriteException("the input was not acceptable: " + context.input("total", Double.class));
    }
  }

  /** {@code test.folders}: writes {@code checkpoint-1/a.txt} and {@code checkpoint-1/b.txt}, and tries a bad name. */
  static final class Folders implements Step {
    String badNameMessage;
    Path folderBefore;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.folders").summary("writes files in a folder of its folder").build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      folderBefore = context.artifacts().folder();
      context.artifacts().write("checkpoint-1/a.txt", "checkpoint", tmp -> Files.writeString(tmp, "a"));
      context.artifacts().write("checkpoint-1/b.txt", "checkpoint", tmp -> Files.writeString(tmp, "b"));
      for (String bad : List.of("../escape.txt", "checkpoint-1/.hidden", "a//b.txt", "checkpoint-1/")) {
        try {
          context.artifacts().write(bad, "checkpoint", tmp -> Files.writeString(tmp, "x"));
          throw new AssertionError("the artifact name '" + bad + "' was accepted");
        } catch (IllegalArgumentException e) {
          badNameMessage = e.getMessage();
        }
      }
      return StepResult.empty();
    }
  }

  /** {@code test.halfwrite}: starts writing an artifact, then crashes inside the writer. */
  static final class HalfWrite implements Step {
    @Override
    public StepSpec spec() {
      return StepSpec.named("test.halfwrite").summary("crashes while writing").build();
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      context.artifacts().write("big.bin", "data", tmp -> {
        Files.write(tmp, new byte[4096]);
        throw new IllegalStateException("disk full (simulated)");
      });
      return StepResult.empty();
    }
  }

  /** A value type of a plugin's own: counts per group, persisted as a file by {@link TallyCodec}. */
  record Tally(List<Long> counts) {}

  /** The one persisted form of {@link Tally}: its counts in a text artifact, referred to by path and hash. */
  static final class TallyCodec implements ValueCodec<Tally> {
    int restored;

    @Override
    public String typeName() {
      return "test-tally";
    }

    @Override
    public Class<Tally> type() {
      return Tally.class;
    }

    @Override
    public String persist(Tally value, ValueFiles files) throws Exception {
      StoredFile file = files.write("tally.txt", "tally", tmp -> Files.write(tmp,
          value.counts().stream().map(String::valueOf).toList()));
      return "{\"path\": \"" + file.path() + "\", \"sha256\": \"" + file.sha256() + "\"}";
    }

    @Override
    public Tally restore(String form, ValueFiles files) throws Exception {
      restored++;
      com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(form).getAsJsonObject();
      Path file = files.read(new StoredFile(json.get("path").getAsString(), json.get("sha256").getAsString()));
      return new Tally(Files.readAllLines(file).stream().map(Long::parseLong).toList());
    }
  }

  /** {@code test.tally}: a plugin's step that outputs a {@link Tally} of 1..n. */
  static final class TallyStep implements Step {
    int runs;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.tally").summary("counts 1..n")
          .param(ParamSpec.required("n", ParamType.INTEGER, "how many"))
          .output("tally", Tally.class, "the counts")
          .build();
    }

    @Override
    public StepResult run(StepContext context) {
      runs++;
      long n = context.param("n", Long.class);
      return StepResult.of("tally", new Tally(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList()));
    }
  }

  /** {@code test.total}: sums a {@link Tally}, scaled. */
  static final class Total implements Step {
    int runs;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.total").summary("sums a tally")
          .param(ParamSpec.optional("scale", ParamType.NUMBER, "1", "a factor"))
          .input("tally", Tally.class, "the counts")
          .output("total", Double.class, "the scaled sum")
          .build();
    }

    @Override
    public StepResult run(StepContext context) {
      runs++;
      Tally tally = context.input("tally", Tally.class);
      return StepResult.of("total", tally.counts().stream().mapToLong(Long::longValue).sum()
          * context.param("scale", Double.class));
    }
  }

  /**
   * {@code test.words}: takes a list of strings and remembers the last list it was given; fails while
   * {@link #failing} is set, so a test can fail a run and then resume it.
   */
  static final class Words implements Step {
    int runs;
    boolean failing;
    List<?> last;

    @Override
    public StepSpec spec() {
      return StepSpec.named("test.words").summary("counts words; fails on request")
          .param(ParamSpec.required("words", ParamType.STRING_LIST, "the words"))
          .output("count", Long.class, "how many words")
          .build();
    }

    @Override
    public StepResult run(StepContext context) {
      runs++;
      last = context.param("words", List.class);
      if (failing) {
        throw new NeuriteException("asked to fail");
      }
      return StepResult.of("count", (long) last.size());
    }
  }

  /** {@code test.progress}: reports {@code n} units of progress one at a time. */
  static final class Counting implements Step {
    @Override
    public StepSpec spec() {
      return StepSpec.named("test.progress").summary("reports progress")
          .param(ParamSpec.required("n", ParamType.INTEGER, "units of work"))
          .build();
    }

    @Override
    public StepResult run(StepContext context) {
      long n = context.param("n", Long.class);
      try (var progress = context.progress("counting", n)) {
        for (long i = 0; i < n; i++) {
          progress.advance(1);
        }
      }
      return StepResult.empty();
    }
  }

  static RegisteredStep registered(Step step) {
    return new RegisteredStep(step, step.spec(), "org.neurite.workflow.tests", "1.0.0", "1.0.0");
  }
}
