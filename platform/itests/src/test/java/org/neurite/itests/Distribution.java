package org.neurite.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The assembled distribution under test, and ways to run it as a separate process. */
final class Distribution {
  private Distribution() {}

  /** platform/distribution/target/neurite, as built earlier in the same Maven run. */
  static Path home() {
    Path home = Path.of(System.getProperty("neurite.dist", "../distribution/target/neurite")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(home.resolve("bin/neurite"))) {
      throw new IllegalStateException("No distribution at " + home + ": run the tests with mvn verify from the root");
    }
    return home;
  }

  /** A jar built by this module's build for the tests to drop into a workspace's plugins/. */
  static Path testPlugin(String fileName) {
    return Path.of(System.getProperty("neurite.itest.plugins", "target/test-plugins")).resolve(fileName).toAbsolutePath();
  }

  /** Starts {@code bin/neurite --workspace WS ARGS...}, its output going to the two files. */
  static Process start(Path workspace, List<String> prefix, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(home().resolve("bin/neurite").toString());
    command.add("--workspace");
    command.add(workspace.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }

  /** Runs {@code bin/neurite --workspace WS ARGS...} to completion. */
  static Result run(Path workspace, String... args) throws Exception {
    return runWith(workspace, List.of(), args);
  }

  /** Same as {@link #run}, under a command prefix such as {@code unshare -n}. */
  static Result runWith(Path workspace, List<String> prefix, String... args) throws Exception {
    Path out = Files.createTempFile("neurite-out", ".txt");
    Path err = Files.createTempFile("neurite-err", ".txt");
    Process process = start(workspace, prefix, out, err, args);
    Duration limit = Duration.ofMinutes(5);
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("neurite " + String.join(" ", args) + " did not finish within " + limit);
    }
    Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return result;
  }

  /** What a finished process printed and how it ended. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
