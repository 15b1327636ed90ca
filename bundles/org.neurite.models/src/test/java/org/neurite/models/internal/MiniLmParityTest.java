package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.net.URL;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.bert.BertFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.onnx.internal.ShippedJars;
import org.neurite.support.files.WorkspaceFolders;

/**
 * The shipped all-MiniLM-L6-v2 through Neurite against ONNX Runtime running the very ONNX file it
 * was imported from: a right-padded batch of sentences of different lengths, compared at every
 * real position, and each sentence also run alone by ONNX Runtime.
 */
class MiniLmParityTest {
  static final List<String> SENTENCES = List.of(
      "Neurons carry languages.",
      "The quick brown fox jumps over the lazy dog while the cat watches from the windowsill.",
      "Paris is the capital of France.",
      "Der Hund schläft.",
      "Les modèles de langue apprennent des régularités statistiques à partir de textes.",
      "Hi",
      "Which units inside a language model carry a capability, and how would we prove it by intervening on them?",
      "2 + 2 = 4",
      "Attention is all you need, they said; then came the MLP neurons.",
      "日本語のテキストも試す。");

  @TempDir static Path workspace;
  private static ModelRepositoryComponent repository;
  private static LanguageModel model;

  @BeforeAll
  static void load() throws Exception {
    repository = new ModelRepositoryComponent(TestBackend.get(), WorkspaceFolders.of(workspace));
    // the shipped-models service of the distribution, over the folder that holds the MiniLM jar
    repository.addShipped(new ShippedJars(minilmJar().getParent()));
    repository.addFamily(new BertFamily());
    model = repository.load("all-minilm-l6-v2", LoadOptions.defaults());
  }

  @AfterAll
  static void close() {
    repository.close();
  }

  static Path minilmJar() throws Exception {
    URL url = MiniLmParityTest.class.getClassLoader().getResource("all-minilm-l6-v2.onnx");
    String path = url.getPath();
    return Path.of(new java.net.URI(path.substring(0, path.indexOf("!/"))));
  }

  @Test
  void hiddenStatesEqualOnnxRuntimeAtEveryRealPosition() throws Exception {
    List<long[]> ids = new ArrayList<>();
    for (String s : SENTENCES) {
      ids.add(model.tokenizer().orElseThrow().encode(s));
    }
    TokenBatch batch = TokenBatch.of(ids, TokenBatch.Padding.RIGHT);
    assertTrue(batch.size() >= 8 && ids.stream().mapToInt(a -> a.length).distinct().count() >= 8,
        "at least 8 sentences of different lengths");
    int d = model.spec().dModel();
    float[] ours;
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Forward forward = model.forward(batch, Hooks.none(), scope);
      ours = forward.hiddenStates().toFloatArray();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] onnx;
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(minilmJar().toFile())) {
      onnx = zip.getInputStream(zip.getEntry("all-minilm-l6-v2.onnx")).readAllBytes();
    }
    double maxBatch = 0;
    double maxSingle = 0;
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
      float[][][] reference = run(env, session, batch.paddedIds(), batch.mask(), batch.size(), batch.length());
      for (int i = 0; i < batch.size(); i++) {
        float[][][] alone = run(env, session, ids.get(i), ones(ids.get(i).length), 1, ids.get(i).length);
        for (int t = 0; t < batch.length(); t++) {
          if (!batch.isReal(i, t)) {
            continue;
          }
          for (int k = 0; k < d; k++) {
            float mine = ours[(i * batch.length() + t) * d + k];
            maxBatch = Math.max(maxBatch, Math.abs(mine - reference[i][t][k]));
            maxSingle = Math.max(maxSingle, Math.abs(mine - alone[0][t][k]));
          }
        }
      }
    }
    System.out.printf("MiniLM vs ONNX Runtime, %d sentences padded to %d: max |difference| %.2e (batch), %.2e (alone)%n",
        batch.size(), batch.length(), maxBatch, maxSingle);
    assertTrue(maxBatch <= 1e-4, "max abs difference to ONNX Runtime on the padded batch: " + maxBatch);
    assertTrue(maxSingle <= 1e-4, "max abs difference to ONNX Runtime on each sentence alone: " + maxSingle);
  }

  @Test
  void importedFolderIsAnOrdinaryModel() {
    assertEquals("bert", model.spec().family());
    assertEquals(6, model.spec().layers());
    assertEquals(384, model.spec().dModel());
    assertEquals(1536, model.spec().dMlp());
    assertEquals(12, model.spec().heads());
    assertEquals(workspace.resolve("models/all-minilm-l6-v2"), model.source());
    assertEquals(64, model.contentHash().length());
    assertEquals(List.of("[CLS]", "neurons", "carry", "languages", ".", "[SEP]"),
        model.tokenizer().orElseThrow().tokens("Neurons carry languages."));
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }

  private static float[][][] run(OrtEnvironment env, OrtSession session, long[] ids, long[] mask, int b, int t)
      throws Exception {
    long[] shape = {b, t};
    try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor ty = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * t]), shape);
        OrtSession.Result result = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", ty))) {
      return (float[][][]) result.get(0).getValue();
    }
  }
}
