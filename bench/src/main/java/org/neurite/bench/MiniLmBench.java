package org.neurite.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.net.URL;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.models.internal.bert.BertFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.internal.repository.ShippedModels;
import org.neurite.support.files.WorkspaceFolders;

/**
 * The shipped all-MiniLM-L6-v2: Neurite's hooked forward (recording every
 * {@code blocks.L.mlp.hook_post}) against ONNX Runtime's plain forward of the same ONNX file, on
 * the same batches, in one process, interleaved run by run. Also a large matmul through the same
 * engine, to put the forward's arithmetic rate beside what the machine sustains.
 *
 * <p>Options: {@code --batch 32 --length 64 --runs 15 --warmup 3 --threads 0} (0: the engines' defaults).
 */
public final class MiniLmBench {
  private MiniLmBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = Options.parse(args, Map.of("batch", 32, "length", 64, "runs", 15, "warmup", 3,
        "threads", 0));
    int batch = o.get("batch");
    int length = o.get("length");
    Path jar = jarOf("all-minilm-l6-v2.onnx");
    Path workspace = Files.createTempDirectory("neurite-bench");
    DjlTensorBackend backend = new DjlTensorBackend();
    ModelRepositoryComponent repository = new ModelRepositoryComponent(backend, WorkspaceFolders.of(workspace),
        new ShippedModels(jar.getParent()));
    repository.addFamily(new BertFamily());
    LanguageModel model = repository.load("all-minilm-l6-v2", LoadOptions.defaults());
    byte[] onnx = readEntry(jar, "all-minilm-l6-v2.onnx");

    List<long[]> sequences = randomSequences(batch, length, model.spec().vocab(), 7);
    TokenBatch tokens = TokenBatch.of(sequences, TokenBatch.Padding.RIGHT);
    Hooks hooks = Hooks.none().record("blocks.*.mlp.hook_post");

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    if (o.get("threads") > 0) {
      options.setIntraOpNumThreads(o.get("threads"));
      ai.djl.pytorch.jni.JniUtils.setNumThreads(o.get("threads"));
    }
    try (OrtSession session = env.createSession(onnx, options)) {
      long[] flat = tokens.paddedIds();
      long[] mask = tokens.mask();
      long[] types = tokens.paddedTokenTypes();
      long[] shape = {batch, length};
      Timing ort = new Timing(o.get("runs"));
      Timing neurite = new Timing(o.get("runs"));
      double maxDiff = 0;
      for (int run = 0; run < o.get("warmup") + o.get("runs"); run++) {
        final int i = run;
        boolean measured = i >= o.get("warmup");
        float[][][] reference = new float[1][][];
        Timing.ThrowingRunnable runOrt = () -> {
          try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
              OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
              OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
              OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", m, "token_type_ids", t))) {
            if (i == 0) {
              reference[0] = ((float[][][]) result.get(0).getValue())[0];
            }
          }
        };
        float[][] ours = new float[1][];
        Timing.ThrowingRunnable runNeurite = () -> {
          try (NDManager scope = backend.newScope("cpu")) {
            Forward forward = model.forward(tokens, hooks, scope);
            if (forward.recorded().size() != model.spec().layers()) {
              throw new IllegalStateException("expected every mlp.hook_post recorded");
            }
            if (i == 0) {
              ours[0] = forward.hiddenStates().get(0).toFloatArray();
            }
          }
        };
        if (measured) {
          ort.time(runOrt);
          neurite.time(runNeurite);
        } else {
          runOrt.run();
          runNeurite.run();
        }
        if (i == 0) {
          for (int p = 0; p < length; p++) {
            for (int d = 0; d < model.spec().dModel(); d++) {
              maxDiff = Math.max(maxDiff, Math.abs(reference[0][p][d] - ours[0][p * model.spec().dModel() + d]));
            }
          }
        }
      }
      double flops = forwardFlops(model, batch, length);
      double matmul = matmulGflops(backend, 2048, 5);
      System.out.println("machine: " + Machine.describe());
      System.out.println("engines: PyTorch " + backend.engineVersion() + " (DJL " + backend.djlVersion()
          + "), ONNX Runtime " + env.getVersion() + ", threads " + (o.get("threads") == 0 ? "default" : o.get("threads")));
      System.out.printf("batch %d x length %d, max |difference| of last_hidden_state (sequence 0): %.2e%n", batch, length,
          maxDiff);
      System.out.println("ONNX Runtime plain forward:     " + ort);
      System.out.println("Neurite hooked forward:         " + neurite);
      System.out.printf("ratio Neurite / ONNX Runtime:   %.2f%n", neurite.median() / ort.median());
      System.out.printf("forward arithmetic: %.1f GFLOP; Neurite %.1f GFLOP/s, ONNX Runtime %.1f GFLOP/s;"
          + " 2048^3 matmul on PyTorch %.1f GFLOP/s%n", flops / 1e9, flops / neurite.median() / 1e6,
          flops / ort.median() / 1e6, matmul);
      System.out.printf("| MiniLM-L6 forward, batch %d x %d, recording all mlp.hook_post | %.1f ms | %.1f ms | %.2f |"
          + " %.0f / %.0f / %.0f GFLOP/s |%n", batch, length, neurite.median(), ort.median(),
          neurite.median() / ort.median(), flops / neurite.median() / 1e6, flops / ort.median() / 1e6, matmul);
    } finally {
      model.close();
    }
  }

  /** Multiply-adds counted twice: projections, attention scores and mixing, MLP. */
  static double forwardFlops(LanguageModel model, int batch, int length) {
    double d = model.spec().dModel();
    double ff = model.spec().dMlp();
    double perTokenPerLayer = 2 * (4 * d * d + 2 * d * ff) + 2 * 2 * length * d;
    return perTokenPerLayer * batch * length * model.spec().layers();
  }

  static double matmulGflops(DjlTensorBackend backend, int n, int runs) throws Exception {
    Timing timing = new Timing(runs);
    try (NDManager scope = backend.newScope("cpu")) {
      NDArray a = scope.randomNormal(new Shape(n, n));
      NDArray b = scope.randomNormal(new Shape(n, n));
      a.matMul(b).close();
      for (int i = 0; i < runs; i++) {
        timing.time(() -> a.matMul(b).close());
      }
    }
    return 2.0 * n * n * n / timing.median() / 1e6;
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

  static Path jarOf(String resource) throws Exception {
    URL url = MiniLmBench.class.getClassLoader().getResource(resource);
    if (url == null || !url.getProtocol().equals("jar")) {
      throw new IllegalStateException(resource + " is not on the class path; build with bench/run");
    }
    String file = url.getPath();
    return Path.of(new java.net.URI(file.substring(0, file.indexOf("!/"))));
  }

  static byte[] readEntry(Path jar, String entry) throws Exception {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
      return zip.getInputStream(zip.getEntry(entry)).readAllBytes();
    }
  }
}
