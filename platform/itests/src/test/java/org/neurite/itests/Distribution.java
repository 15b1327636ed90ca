package org.neurite.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
    return start(workspace, prefix, Map.of(), out, err, args);
  }

  private static Process start(Path workspace, List<String> prefix, Map<String, String> env, Path out, Path err,
      String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(home().resolve("bin/neurite").toString());
    command.add("--workspace");
    command.add(workspace.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return builder
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
    return runWith(workspace, prefix, Map.of(), args);
  }

  /** Same as {@link #run}, with more environment variables (e.g. {@code NEURITE_TIMING=1}). */
  static Result runWith(Path workspace, Map<String, String> env, String... args) throws Exception {
    return runWith(workspace, List.of(), env, args);
  }

  /**
   * Runs {@code bin/neurite --workspace WS ARGS...} on a pseudo-terminal, as a user at a terminal runs
   * it ({@code script}, from util-linux, provides the terminal); stdout and stderr both come back in out.
   */
  static Result runOnTerminal(Path workspace, String... args) throws Exception {
    List<String> words = new ArrayList<>(List.of(home().resolve("bin/neurite").toString(), "--workspace",
        workspace.toString()));
    words.addAll(List.of(args));
    String line = String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
    Path out = Files.createTempFile("neurite-out", ".txt");
    Process process = new ProcessBuilder("script", "-qec", line, "/dev/null")
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(out.toFile())
        .redirectErrorStream(true)
        .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("neurite " + String.join(" ", args) + " on a terminal did not finish within 5 minutes");
    }
    Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), "");
    Files.deleteIfExists(out);
    return result;
  }

  /**
   * Starts {@code bin/neurite --workspace WS ARGS...} on a pseudo-terminal, as {@link #runOnTerminal}
   * does, and leaves it running: what is written to the process's input is typed at the terminal
   * (Ctrl-C as {@code \u0003}); stdout and stderr both go to {@code out}.
   */
  static Process startOnTerminal(Path workspace, Path out, String... args) throws IOException {
    List<String> words = new ArrayList<>(List.of(home().resolve("bin/neurite").toString(), "--workspace",
        workspace.toString()));
    words.addAll(List.of(args));
    String line = String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
    // the terminal's size comes from script's own input, here a pipe: give it one, as a window has
    return new ProcessBuilder("script", "-qec", "stty cols 160 rows 50; exec " + line, "/dev/null")
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(out.toFile())
        .redirectErrorStream(true)
        .start();
  }

  private static Result runWith(Path workspace, List<String> prefix, Map<String, String> env, String... args)
      throws Exception {
    Path out = Files.createTempFile("neurite-out", ".txt");
    Path err = Files.createTempFile("neurite-err", ".txt");
    Process process = start(workspace, prefix, env, out, err, args);
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

  /** The first non-empty file under {@code root} named PREFIX*SUFFIX, waiting up to {@code seconds} for it. */
  static Path awaitFile(Path root, String prefix, String suffix, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> files = Files.walk(root)) {
          Optional<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix)
              && p.getFileName().toString().endsWith(suffix)).findFirst();
          if (found.isPresent() && Files.size(found.get()) > 0) {
            return found.get();
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + prefix + "*" + suffix + " under " + root + " within " + seconds + " s");
  }
}
