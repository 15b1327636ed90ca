package org.neurite.bench;

import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-unit statistics on the shipped MiniLM (issue 9, acceptance 5), side by side in one run on the
 * same batches (32 x 64 random ids, no padding), interleaved batch by batch:
 *
 * <ul>
 *   <li>Neurite: count, mean, variance and P(x > 0) of every {@code blocks.L.mlp.hook_post} (6 x 1536
 *       units) folded into its accumulators ({@code bench:stats}), and gradient x activation at the same
 *       hook points ({@code bench:gradxact}), and its hooked forward alone ({@code bench:forward});
 *   <li>a PyTorch-eager reference ({@code bench/reference/minilm_stats.py}, Debian's python3-torch):
 *       the same model from the same safetensors, forward hooks accumulating the same statistics;
 *   <li>ONNX Runtime's plain forward of the ONNX file Neurite imported the model from.
 * </ul>
 *
 * At the end the two sets of statistics are compared (they saw the same batches, warm-up included).
 *
 * <p>Options: {@code --batch 32 --length 64 --batches 4 --runs 3 --warmup 1 --threads 0} (0: the
 * engines' defaults; Python is given the machine's core count then). {@code -Dbench.python} names the
 * Python with torch (default {@code /usr/bin/python3}).
 */
public final class StatsBench {
  private StatsBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, Map.of("batch", 32, "length", 64, "batches", 4, "runs", 3,
        "warmup", 1, "threads", 0));
    int batch = o.get("batch");
    int length = o.get("length");
    int threads = o.get("threads") > 0 ? o.get("threads") : Runtime.getRuntime().availableProcessors();
    String model = MiniLmBench.MODEL;
    try (EmbeddedNeurite neurite = EmbeddedNeurite.start("neurite-stats-bench", o.get("threads"));
        OrtMiniLm ort = new OrtMiniLm(neurite, o.get("threads"))) {
      neurite.execute("load " + model);
      int vocab = neurite.config(model, "vocab_size");
      List<List<long[]>> batches = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      for (int b = 0; b < o.get("batches"); b++) {
        batches.add(MiniLmBench.randomSequences(batch, length, vocab, 100 + b));
        files.add(neurite.writeIds("stats-bench-" + b + ".txt", batches.get(b)));
      }
      Process python = new ProcessBuilder(System.getProperty("bench.python", "/usr/bin/python3"),
          Path.of("bench/reference/minilm_stats.py").toAbsolutePath().toString(),
          neurite.workspace().resolve("models").resolve(model).toString(), Integer.toString(threads))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (PrintWriter toPython = new PrintWriter(python.getOutputStream(), true, StandardCharsets.UTF_8);
          BufferedReader fromPython = new BufferedReader(new InputStreamReader(python.getInputStream(),
              StandardCharsets.UTF_8))) {
        expect(fromPython.readLine(), "ready");
        int measured = o.get("runs") * o.get("batches");
        Timing ortForward = new Timing(measured);
        Timing ourForward = new Timing(measured);
        Timing ourStats = new Timing(measured);
        Timing ourGradient = new Timing(measured);
        Timing torchStats = new Timing(measured);
        Timing torchForward = new Timing(measured);
        for (int run = 0; run < o.get("warmup") + o.get("runs"); run++) {
          boolean measure = run >= o.get("warmup");
          for (int b = 0; b < batches.size(); b++) {
            List<long[]> sequences = batches.get(b);
            String ids = files.get(b).toString();
            Timing.ThrowingRunnable plain = () -> {
              try (OrtSession.Result result = ort.run(sequences)) {
                result.get(0);
              }
            };
            double stats = ms(neurite.execute("bench:stats " + model + " " + ids));
            toPython.println("stats " + ids);
            double reference = ms(fromPython.readLine());
            double forward = ms(neurite.execute("bench:forward " + model + " " + ids));
            double gradient = ms(neurite.execute("bench:gradxact " + model + " " + ids));
            toPython.println("forward " + ids);
            double referenceForward = ms(fromPython.readLine());
            if (measure) {
              ortForward.time(plain);
              ourStats.record(stats);
              torchStats.record(reference);
              ourForward.record(forward);
              ourGradient.record(gradient);
              torchForward.record(referenceForward);
            } else {
              plain.run();
            }
          }
        }
        Path ours = neurite.workspace().resolve("stats-neurite.txt");
        Path theirs = neurite.workspace().resolve("stats-torch.txt");
        neurite.execute("bench:statsdump " + ours);
        toPython.println("dump " + theirs);
        expect(fromPython.readLine(), theirs.toString());
        toPython.println("quit");
        double[] differences = compare(ours, theirs);
        double tokens = batch * length;
        System.out.println("machine: " + Machine.describe());
        System.out.printf("batch %d x %d, %d batches x %d runs (+%d warm-up), threads %d; statistics of both after %d"
            + " batches: max relative difference mean %.1e, variance %.1e, P(x>0) %.1e%n", batch, length,
            batches.size(), o.get("runs"), o.get("warmup"), threads, batches.size() * (o.get("runs") + o.get("warmup")),
            differences[0], differences[1], differences[2]);
        row("Neurite stats.units (forward + count, mean, variance, P(x>0))", ourStats, tokens);
        row("PyTorch eager + forward hooks, same statistics", torchStats, tokens);
        row("ONNX Runtime plain forward", ortForward, tokens);
        row("Neurite hooked forward (records every mlp.hook_post)", ourForward, tokens);
        row("PyTorch eager plain forward", torchForward, tokens);
        row("Neurite gradient x activation at every mlp.hook_post", ourGradient, tokens);
        System.out.printf("stats: Neurite / PyTorch reference speed %.2fx (target >= 1.4); Neurite time / ORT forward"
            + " %.2f (target <= 1.15); grad x act / Neurite forward %.2f (target <= 2.2)%n",
            torchStats.median() / ourStats.median(), ourStats.median() / ortForward.median(),
            ourGradient.median() / ourForward.median());
      } finally {
        python.destroy();
      }
    }
  }

  private static void row(String what, Timing timing, double tokens) {
    System.out.printf("| %s | %.1f ms | %,.0f tokens/s | %s |%n", what, timing.median(), tokens / timing.median() * 1000,
        timing);
  }

  private static double ms(String line) {
    if (line == null) {
      throw new IllegalStateException("the reference process ended early (see its stderr above)");
    }
    return Double.parseDouble(line.trim());
  }

  private static void expect(String line, String expected) {
    if (!expected.equals(line)) {
      throw new IllegalStateException("the reference process said '" + line + "', expected '" + expected + "'");
    }
  }

  /** Max relative differences of mean, variance and P(x>0) over every unit; counts must be equal. */
  private static double[] compare(Path ours, Path theirs) throws Exception {
    List<String> a = Files.readAllLines(ours);
    List<String> b = Files.readAllLines(theirs);
    if (a.size() != b.size()) {
      throw new IllegalStateException("the two dumps differ in length: " + a.size() + " and " + b.size() + " lines");
    }
    double[] worst = new double[3];
    for (int i = 0; i < a.size(); i += 4) {
      if (!a.get(i).equals(b.get(i))) {
        throw new IllegalStateException("hook point or count differ: '" + a.get(i) + "' and '" + b.get(i) + "'");
      }
      for (int k = 0; k < 3; k++) {
        String[] x = a.get(i + 1 + k).split(" ");
        String[] y = b.get(i + 1 + k).split(" ");
        for (int u = 0; u < x.length; u++) {
          double p = Double.parseDouble(x[u]);
          double q = Double.parseDouble(y[u]);
          worst[k] = Math.max(worst[k], Math.abs(p - q) / Math.max(1e-3, Math.abs(q)));
        }
      }
    }
    return worst;
  }
}
