package org.neurite.models.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;

/** Imports the real all-MiniLM-L6-v2 from the langchain4j jar on the test class path. */
class OnnxEncoderImportTest {
  private static final String ONNX_ENTRY = "all-minilm-l6-v2.onnx";
  private static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json";

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path jar;
  private static byte[] onnxBytes;
  private static byte[] tokenizerBytes;
  private static OnnxModel onnx;
  private static Path folder;

  @BeforeAll
  static void importOnce() throws Exception {
    URL url = OnnxEncoderImportTest.class.getClassLoader().getResource(ONNX_ENTRY);
    assertNotNull(url, ONNX_ENTRY + " is not on the test class path: the langchain4j test dependency is missing");
    jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
    onnxBytes = resource(ONNX_ENTRY);
    tokenizerBytes = resource(TOKENIZER_ENTRY);
    onnx = OnnxParser.parse(ByteBuffer.wrap(onnxBytes), ONNX_ENTRY);
    folder = shared.resolve("minilm");
    assertSame(folder, OnnxEncoderImport.fromJar(jar, folder));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = OnnxEncoderImportTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static JsonObject config(Path modelFolder) throws IOException {
    return JsonParser.parseString(Files.readString(modelFolder.resolve("config.json"))).getAsJsonObject();
  }

  @Test
  void theParsedGraphIsTheOneDescribed() {
    assertEquals(6, onnx.irVersion());
    assertEquals(11, onnx.opsetVersion());
    assertEquals(102, onnx.initializers().size());
    assertEquals(36, onnx.initializers().keySet().stream().filter(n -> n.startsWith("onnx::MatMul_")).count());
  }

  @Test
  void folderHasTheThreeFilesAndNothingElse() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (Stream<Path> siblings = Files.list(shared)) {
      assertEquals(List.of("minilm"), siblings.map(p -> p.getFileName().toString()).toList(),
          "no temporary folder is left next to the target");
    }
    assertTrue(OnnxEncoderImport.isComplete(folder));
  }

  @Test
  void configHasTheSizesOfMiniLm() throws Exception {
    JsonObject config = config(folder);
    assertEquals("bert", config.get("model_type").getAsString());
    assertEquals("BertModel", config.getAsJsonArray("architectures").get(0).getAsString());
    assertEquals(384, config.get("hidden_size").getAsInt());
    assertEquals(6, config.get("num_hidden_layers").getAsInt());
    assertEquals(12, config.get("num_attention_heads").getAsInt());
    assertEquals(1536, config.get("intermediate_size").getAsInt());
    assertEquals(30522, config.get("vocab_size").getAsInt());
    assertEquals(512, config.get("max_position_embeddings").getAsInt());
    assertEquals(2, config.get("type_vocab_size").getAsInt());
    assertEquals(1e-12, config.get("layer_norm_eps").getAsDouble());
    assertEquals("gelu", config.get("hidden_act").getAsString());
    assertEquals("float32", config.get("torch_dtype").getAsString());
    JsonObject provenance = config.getAsJsonObject("neurite_import");
    assertEquals(jar.getFileName().toString(), provenance.get("source").getAsString());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnxBytes)),
        provenance.get("onnx_sha256").getAsString());
  }

  /** Every tensor of Hugging Face BertModel for this size, with its shape, in checkpoint order. */
  private static Map<String, List<Long>> expectedTensors() {
    Map<String, List<Long>> expected = new LinkedHashMap<>();
    expected.put("embeddings.word_embeddings.weight", List.of(30522L, 384L));
    expected.put("embeddings.position_embeddings.weight", List.of(512L, 384L));
    expected.put("embeddings.token_type_embeddings.weight", List.of(2L, 384L));
    expected.put("embeddings.LayerNorm.weight", List.of(384L));
    expected.put("embeddings.LayerNorm.bias", List.of(384L));
    for (int l = 0; l < 6; l++) {
      String p = "encoder.layer." + l + ".";
      expected.put(p + "attention.self.query.weight", List.of(384L, 384L));
      expected.put(p + "attention.self.query.bias", List.of(384L));
      expected.put(p + "attention.self.key.weight", List.of(384L, 384L));
      expected.put(p + "attention.self.key.bias", List.of(384L));
      expected.put(p + "attention.self.value.weight", List.of(384L, 384L));
      expected.put(p + "attention.self.value.bias", List.of(384L));
      expected.put(p + "attention.output.dense.weight", List.of(384L, 384L));
      expected.put(p + "attention.output.dense.bias", List.of(384L));
      expected.put(p + "attention.output.LayerNorm.weight", List.of(384L));
      expected.put(p + "attention.output.LayerNorm.bias", List.of(384L));
      expected.put(p + "intermediate.dense.weight", List.of(1536L, 384L));
      expected.put(p + "intermediate.dense.bias", List.of(1536L));
      expected.put(p + "output.dense.weight", List.of(384L, 1536L));
      expected.put(p + "output.dense.bias", List.of(384L));
      expected.put(p + "output.LayerNorm.weight", List.of(384L));
      expected.put(p + "output.LayerNorm.bias", List.of(384L));
    }
    return expected;
  }

  @Test
  void safetensorsHoldsExactlyTheBertModelTensorsInF32() {
    Map<String, List<Long>> actual = new LinkedHashMap<>();
    try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      for (TensorEntry e : file.entries().values()) {
        assertEquals(TensorDtype.F32, e.dtype(), e.name());
        actual.put(e.name(), Arrays.stream(e.shape()).boxed().toList());
      }
      assertEquals("pt", file.metadata().get("format"));
    }
    assertEquals(101, actual.size());
    assertEquals(new TreeMap<>(expectedTensors()), new TreeMap<>(actual));
  }

  @Test
  void queryWeightIsTheTransposeOfItsMatMulInitializer() {
    OnnxNode matmul = onnx.nodes().stream()
        .filter(n -> n.name().equals("/encoder/layer.3/attention/self/query/MatMul")).findFirst().orElseThrow();
    String initializer = matmul.inputs().get(1);
    assertTrue(initializer.startsWith("onnx::MatMul_"), initializer);
    float[] inOut = onnx.initializers().get(initializer).floats();
    float[] outIn = read("encoder.layer.3.attention.self.query.weight");
    int in = 384;
    int out = 384;
    boolean someAsymmetry = false;
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        assertEquals(Float.floatToRawIntBits(inOut[i * out + o]), Float.floatToRawIntBits(outIn[o * in + i]),
            "element [" + o + ", " + i + "]");
        someAsymmetry |= inOut[i * out + o] != inOut[o * out + i];
      }
    }
    assertTrue(someAsymmetry, "the matrix is not symmetric, so the check tells a transpose from a copy");
    // and the [in, out] -> [out, in] transpose also holds for the non-square feed-forward output matrix
    OnnxNode down = onnx.nodes().stream()
        .filter(n -> n.name().equals("/encoder/layer.5/output/dense/MatMul")).findFirst().orElseThrow();
    float[] downInOut = onnx.initializers().get(down.inputs().get(1)).floats();
    float[] downOutIn = read("encoder.layer.5.output.dense.weight");
    assertEquals(downInOut[7 * 384 + 5], downOutIn[5 * 1536 + 7]);
    assertEquals(downInOut[1535 * 384 + 383], downOutIn[383 * 1536 + 1535]);
  }

  @Test
  void biasesEmbeddingsAndLayerNormsAreCopiedBitForBit() {
    int compared = 0;
    try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      for (String name : file.entries().keySet()) {
        if (name.endsWith(".bias") || name.contains("LayerNorm") || name.startsWith("embeddings.")) {
          ByteBuffer expected = onnx.initializers().get(name).float32Bytes();
          assertEquals(expected, file.map(name), name);
          compared++;
        }
      }
    }
    assertEquals(5 + 6 * 10, compared);
  }

  @Test
  void tokenizerIsCopiedByteForByte() throws IOException {
    assertArrayEquals(tokenizerBytes, Files.readAllBytes(folder.resolve("tokenizer.json")));
  }

  @Test
  void importedWeightsComputeWhatTheOnnxGraphComputes() throws Exception {
    // [CLS] the quick brown fox jumps [SEP] in the BERT uncased vocabulary
    long[] ids = {101, 1996, 4248, 2829, 4419, 14523, 102};
    double[][] reference = new ReferenceBert(folder).forward(ids);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] ones = new long[ids.length];
    Arrays.fill(ones, 1);
    try (OrtSession session = env.createSession(onnxBytes, new OrtSession.SessionOptions());
        ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(env, new long[][] {ids});
        ai.onnxruntime.OnnxTensor mask = ai.onnxruntime.OnnxTensor.createTensor(env, new long[][] {ones});
        ai.onnxruntime.OnnxTensor types = ai.onnxruntime.OnnxTensor.createTensor(env,
            new long[][] {new long[ids.length]});
        OrtSession.Result result = session.run(Map.of("input_ids", input, "attention_mask", mask,
            "token_type_ids", types))) {
      float[][][] ort = (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
      double worst = 0;
      for (int t = 0; t < ids.length; t++) {
        for (int i = 0; i < 384; i++) {
          worst = Math.max(worst, Math.abs(ort[0][t][i] - reference[t][i]));
        }
      }
      assertTrue(worst < 1e-4, "largest difference from ONNX Runtime: " + worst);
    }
  }

  @Test
  void referenceErfIsAccurate() {
    assertEquals(0.5204998778130465, ReferenceBert.erf(0.5), 1e-13);
    assertEquals(-0.9953222650189527, ReferenceBert.erf(-2.0), 1e-13);
    assertEquals(0.9999992569016276, ReferenceBert.erf(3.5), 1e-13);
  }

  @Test
  void secondImportIntoACompleteFolderIsANoOp() throws IOException {
    Map<String, FileTime> before = modificationTimes(folder);
    Path returned = OnnxEncoderImport.fromJar(jar, folder);
    assertEquals(folder, returned);
    assertEquals(before, modificationTimes(folder));
    // it does not even open its inputs: these do not exist
    OnnxEncoderImport.fromFiles(dir.resolve("absent.onnx"), dir.resolve("absent.json"), null, folder);
    assertEquals(before, modificationTimes(folder));
  }

  private static Map<String, FileTime> modificationTimes(Path modelFolder) throws IOException {
    Map<String, FileTime> times = new TreeMap<>();
    for (String name : List.of("config.json", "model.safetensors", "tokenizer.json")) {
      times.put(name, Files.getLastModifiedTime(modelFolder.resolve(name)));
    }
    return times;
  }

  @Test
  void fromFilesWritesTheSameCheckpointAndNamesItsSource() throws IOException {
    Path onnxFile = Files.write(dir.resolve(ONNX_ENTRY), onnxBytes);
    Path tokenizer = Files.write(dir.resolve("tokenizer-in.json"), tokenizerBytes);
    Path target = Files.createDirectory(dir.resolve("from-files"));
    OnnxEncoderImport.fromFiles(onnxFile, tokenizer, "all-MiniLM-L6-v2 (test)", target);
    assertArrayEquals(Files.readAllBytes(folder.resolve("model.safetensors")),
        Files.readAllBytes(target.resolve("model.safetensors")));
    assertArrayEquals(tokenizerBytes, Files.readAllBytes(target.resolve("tokenizer.json")));
    assertEquals("all-MiniLM-L6-v2 (test)",
        config(target).getAsJsonObject("neurite_import").get("source").getAsString());
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedClearly() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.onnx"), "{\"this\": \"is JSON, not ONNX\"}\n");
    Path target = dir.resolve("out");
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> OnnxEncoderImport.fromFiles(text, writeTokenizer(), null, target));
    assertTrue(e.getMessage().startsWith("The file " + text
        + " is not an ONNX model: its bytes are not valid protobuf"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Import the .onnx file of a BERT encoder"), e.getMessage());
    assertFalse(Files.exists(target));
    assertNoTemporaryFolders();
  }

  @Test
  void anEmptyFileIsNotOnnx() throws IOException {
    Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> OnnxEncoderImport.fromFiles(empty, writeTokenizer(), null, dir.resolve("out")));
    assertTrue(e.getMessage().contains("is not an ONNX model: it is empty"), e.getMessage());
  }

  @Test
  void aTruncatedOnnxFileIsRefusedClearly() throws IOException {
    Path cut = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(onnxBytes, onnxBytes.length / 2));
    Path target = dir.resolve("out");
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> OnnxEncoderImport.fromFiles(cut, writeTokenizer(), null, target));
    assertTrue(e.getMessage().startsWith("The ONNX file " + cut + " is truncated: at byte "), e.getMessage());
    assertTrue(e.getMessage().contains("fetch it again"), e.getMessage());
    assertFalse(Files.exists(target));
    assertNoTemporaryFolders();
  }

  @Test
  void aJarThatIsNotAZipIsRefusedClearly() throws IOException {
    Path notJar = Files.writeString(dir.resolve("model.jar"), "not a zip");
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> OnnxEncoderImport.fromJar(notJar, dir.resolve("out")));
    assertTrue(e.getMessage().startsWith("The file " + notJar + " is not a jar or zip file"), e.getMessage());
  }

  @Test
  void anIncompleteTargetIsNeitherUsedNorOverwritten() throws IOException {
    Path target = Files.createDirectory(dir.resolve("half"));
    Files.writeString(target.resolve("config.json"), "{}");
    NeuriteException e = assertThrows(NeuriteException.class, () -> OnnxEncoderImport.fromJar(jar, target));
    assertTrue(e.getMessage().contains("it exists but is not a complete model folder (missing or empty:"
        + " model.safetensors, tokenizer.json). Delete it or choose another folder."), e.getMessage());
    assertEquals("{}", Files.readString(target.resolve("config.json")));
  }

  @Test
  void anUnreadableTokenizerIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path onnxFile = Files.write(dir.resolve(ONNX_ENTRY), onnxBytes);
    Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{\"truncated\": ");
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> OnnxEncoderImport.fromFiles(onnxFile, tokenizer, null, dir.resolve("out")));
    assertTrue(e.getMessage().startsWith("The tokenizer " + tokenizer + " is not valid JSON"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  private Path writeTokenizer() throws IOException {
    return Files.write(dir.resolve("tokenizer.json"), tokenizerBytes);
  }

  private void assertNoTemporaryFolders() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> temporary = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".import-")).toList();
      assertEquals(List.of(), temporary);
    }
  }

  private static float[] read(String name) {
    try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      float[] values = new float[Math.toIntExact(file.entries().get(name).elements())];
      file.map(name).asFloatBuffer().get(values);
      return values;
    }
  }
}
