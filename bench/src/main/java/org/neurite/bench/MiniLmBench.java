package org.neurite.bench;

import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The shipped all-MiniLM-L6-v2: Neurite's hooked forward (recording every
 * {@code blocks.L.mlp.hook_post}) against ONNX Runtime's plain forward of the same ONNX file, on
 * the same batches, in one process, interleaved run by run. Also a large matmul through the same
 * engine, to put the forward's arithmetic rate beside what the machine sustains.
 *
 * <p>Neurite runs as a user runs it: the assembled distribution, started through the launcher's
 * embedding API, the model imported and loaded by its repository. Its passes are timed inside the
 * platform by the bench plugin's {@code bench:forward} (the clock around {@code forward} alone), so
 * the console command that asks for each pass does not enter the numbers.
 *
 * <p>Options: {@code --batch 32 --length 64 --runs 15 --warmup 3 --threads 0} (0: the engines' defaults).
 */
public final class MiniLmBench {
  static final String MODEL = "all-minilm-l6-v2";

  private MiniLmBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, Map.of("batch", 32, "length", 64, "runs", 15, "warmup", 3,
        "threads", 0));
    int batch = o.get("batch");
    int length = o.get("length");
    try (EmbeddedNeurite neurite = EmbeddedNeurite.start("neurite-bench", o.get("threads"))) {
      neurite.execute("load " + MODEL);
      int vocab = neurite.config(MODEL, "vocab_size");
      int dModel = neurite.config(MODEL, "hidden_size");
      int dMlp = neurite.config(MODEL, "intermediate_size");
      int layers = neurite.config(MODEL, "num_hidden_layers");
      List<long[]> sequences = randomSequences(batch, length, vocab, 7);
      Path ids = neurite.writeIds("bench-ids.txt", sequences);
      try (OrtMiniLm ort = new OrtMiniLm(neurite, o.get("threads"))) {
        Timing ortTiming = new Timing(o.get("runs"));
        Timing ours = new Timing(o.get("runs"));
        float[][] reference = new float[1][];
        for (int run = 0; run < o.get("warmup") + o.get("runs"); run++) {
          final boolean first = run == 0;
          Timing.ThrowingRunnable runOrt = () -> {
            try (OrtSession.Result result = ort.run(sequences)) {
              if (first) {
                float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
                reference[0] = new float[length * dModel];
                for (int p = 0; p < length; p++) {
                  System.arraycopy(hidden[p], 0, reference[0], p * dModel, dModel);
                }
              }
            }
          };
          if (run >= o.get("warmup")) {
            ortTiming.time(runOrt);
            ours.record(Double.parseDouble(neurite.execute("bench:forward " + MODEL + " " + ids).trim()));
          } else {
            runOrt.run();
            neurite.execute("bench:forward " + MODEL + " " + ids);
          }
        }
        double maxDiff = maxDifference(neurite, sequences.get(0), reference[0]);
        double flops = forwardFlops(dModel, dMlp, layers, batch, length);
        double matmul = Double.parseDouble(neurite.execute("bench:matmul 2048 5").trim());
        System.out.println("machine: " + Machine.describe());
        System.out.println("engines: " + engineLine(neurite.execute("info")) + ", ONNX Runtime " + ort.version()
            + ", threads " + (o.get("threads") == 0 ? "default" : o.get("threads")));
        System.out.printf("batch %d x length %d, max |difference| of last_hidden_state (sequence 0): %.2e%n", batch,
            length, maxDiff);
        System.out.println("ONNX Runtime plain forward:     " + ortTiming);
        System.out.println("Neurite hooked forward:         " + ours);
        System.out.printf("ratio Neurite / ONNX Runtime:   %.2f%n", ours.median() / ortTiming.median());
        System.out.printf("forward arithmetic: %.1f GFLOP; Neurite %.1f GFLOP/s, ONNX Runtime %.1f GFLOP/s;"
            + " 2048^3 matmul on PyTorch %.1f GFLOP/s%n", flops / 1e9, flops / ours.median() / 1e6,
            flops / ortTiming.median() / 1e6, matmul);
        System.out.printf("| MiniLM-L6 forward, batch %d x %d, recording all mlp.hook_post | %.1f ms | %.1f ms | %.2f |"
            + " %.0f / %.0f / %.0f GFLOP/s |%n", batch, length, ours.median(), ortTiming.median(),
            ours.median() / ortTiming.median(), flops / ours.median() / 1e6, flops / ortTiming.median() / 1e6, matmul);
      }
    }
  }

  /** Neurite's hidden states of one sequence, through {@code trace}, against ONNX Runtime's. */
  private static double maxDifference(EmbeddedNeurite neurite, long[] sequence, float[] reference) throws Exception {
    Path out = neurite.workspace().resolve("bench-trace.safetensors");
    neurite.execute("trace " + MODEL + " --ids " + LongStream.of(sequence).mapToObj(Long::toString)
        .collect(Collectors.joining(",")) + " --out " + out);
    float[] hidden = TraceFile.floats(out, "last_hidden_state");
    double max = 0;
    for (int i = 0; i < reference.length; i++) {
      max = Math.max(max, Math.abs(reference[i] - hidden[i]));
    }
    return max;
  }

  /** The line of {@code info} that names the tensor engine. */
  private static String engineLine(String info) {
    return info.lines().filter(l -> l.trim().startsWith("engine")).map(l -> l.trim().substring("engine".length()).trim())
        .findFirst().orElse("PyTorch (version not shown)");
  }

  /** Multiply-adds counted twice: projections, attention scores and mixing, MLP. */
  static double forwardFlops(double d, double ff, int layers, int batch, int length) {
    double perTokenPerLayer = 2 * (4 * d * d + 2 * d * ff) + 2 * 2 * length * d;
    return perTokenPerLayer * batch * length * layers;
  }

  static List<long[]> randomSequences(int batch, int length, int vocab, long seed) {
    Random random = new Random(seed);
    List<long[]> sequences = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      long[] ids = new long[length];
      ids[0] = 101;
      for (int t = 1; t < length - 1; t++) {
        ids[t] = 1000 + random.nextInt(vocab - 1000);
      }
      ids[length - 1] = 102;
      sequences.add(ids);
    }
    return sequences;
  }

  static byte[] readEntry(Path jar, String entry) throws Exception {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
      return zip.getInputStream(zip.getEntry(entry)).readAllBytes();
    }
  }
}
