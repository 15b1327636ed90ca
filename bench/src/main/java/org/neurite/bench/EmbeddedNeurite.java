package org.neurite.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.neurite.launcher.Neurite;

/**
 * Neurite as a benchmark sees it: the assembled distribution started through the launcher's
 * embedding API on a fresh workspace whose plugins/ holds the bench plugin, driven by console
 * commands. Nothing of Neurite is on the benchmark's own class path but the launcher.
 */
final class EmbeddedNeurite implements AutoCloseable {
  private final Neurite neurite;
  private final Path workspace;

  private EmbeddedNeurite(Neurite neurite, Path workspace) {
    this.neurite = neurite;
    this.workspace = workspace;
  }

  /**
   * Starts the distribution at {@code -Dneurite.home} with the plugin at {@code -Dneurite.bench.plugin}
   * (both set by bench/run). {@code threads} above 0 fixes PyTorch's intra-op threads.
   */
  static EmbeddedNeurite start(String name, int threads) throws Exception {
    Path home = Path.of(required("neurite.home"));
    Path plugin = Path.of(required("neurite.bench.plugin"));
    Path workspace = Files.createTempDirectory(name);
    Files.createDirectories(workspace.resolve("plugins"));
    Files.copy(plugin, workspace.resolve("plugins").resolve(plugin.getFileName()));
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    OutputStream quiet = OutputStream.nullOutputStream();
    return new EmbeddedNeurite(Neurite.start(home, workspace, new PrintStream(quiet), System.err), workspace);
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("-D" + property + " is not set: run the benchmarks with bench/run");
    }
    return value;
  }

  /** Runs one console command and returns what it printed. */
  String execute(String command) throws Exception {
    String result = neurite.execute(command);
    return result == null ? "" : result;
  }

  Path workspace() {
    return workspace;
  }

  /** The installation's shipped-model jars: the very files Neurite imports its shipped models from. */
  Path shippedJar(String entry) throws IOException {
    try (var jars = Files.list(Path.of(required("neurite.home")).resolve("models"))) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
          if (zip.getEntry(entry) != null) {
            return jar;
          }
        }
      }
    }
    throw new IllegalStateException("no jar in the distribution's models/ holds " + entry);
  }

  /** An integer of a model's config.json in the workspace's models/ (after it was loaded or imported). */
  int config(String model, String key) throws IOException {
    String json = Files.readString(workspace.resolve("models").resolve(model).resolve("config.json"));
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException(model + "/config.json has no integer " + key);
    }
    return Integer.parseInt(m.group(1));
  }

  /** Writes a batch as the bench plugin reads it: one sequence of ids per line. */
  Path writeIds(String fileName, java.util.List<long[]> sequences) throws IOException {
    String text = sequences.stream().map(s -> LongStream.of(s).mapToObj(Long::toString).collect(Collectors.joining(" ")))
        .collect(Collectors.joining("\n", "", "\n"));
    return Files.writeString(workspace.resolve(fileName), text);
  }

  @Override
  public void close() throws Exception {
    neurite.close();
  }
}
