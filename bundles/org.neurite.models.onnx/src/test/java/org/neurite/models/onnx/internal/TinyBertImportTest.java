package org.neurite.models.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.support.safetensors.SafetensorsFile;

/** Imports of a hand-written one-layer BERT graph: the export variations read, and each fault refused. */
class TinyBertImportTest {
  @TempDir Path dir;

  private Path write(TinyBertOnnx model) throws IOException {
    return Files.write(dir.resolve("tiny.onnx"), model.bytes());
  }

  private Path importTiny(TinyBertOnnx model) throws IOException {
    Path onnx = write(model);
    Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}}");
    return OnnxEncoderImport.fromFiles(onnx, tokenizer, null, dir.resolve("tiny"));
  }

  private NeuriteException refused(TinyBertOnnx model) {
    NeuriteException e = assertThrows(NeuriteException.class, () -> importTiny(model));
    assertFalse(Files.exists(dir.resolve("tiny")), "nothing is left at the target");
    return e;
  }

  private static float[] read(Path folder, String name) {
    try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      float[] values = new float[Math.toIntExact(file.entries().get(name).elements())];
      file.map(name).asFloatBuffer().get(values);
      return values;
    }
  }

  private static float[] transpose(float[] values, int rows, int cols) {
    float[] t = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = values[r * cols + c];
      }
    }
    return t;
  }

  @Test
  void prefixedNamesAndAGemmPoolerAreMapped() throws IOException {
    TinyBertOnnx model = new TinyBertOnnx();
    model.prefix = "bert.";
    model.pooler = true;
    Path folder = importTiny(model);
    Set<String> names;
    try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      names = new TreeSet<>(file.entries().keySet());
    }
    assertEquals(16 + 5 + 2, names.size(), names.toString());
    assertTrue(names.contains("pooler.dense.weight") && names.contains("pooler.dense.bias"), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("bert.")), names.toString());
    // Gemm with transB=1 holds [out, in] already: copied as is
    assertArrayEquals(model.values.get("bert.pooler.dense.weight"), read(folder, "pooler.dense.weight"));
    // MatMul holds [in, out]: transposed; the feed-forward matrices are not square
    assertArrayEquals(transpose(model.values.get("onnx::MatMul_104"), 4, 8),
        read(folder, "encoder.layer.0.intermediate.dense.weight"));
    assertArrayEquals(model.values.get("bert.embeddings.word_embeddings.weight"),
        read(folder, "embeddings.word_embeddings.weight"));
    JsonObject config = JsonParser.parseString(Files.readString(folder.resolve("config.json"))).getAsJsonObject();
    assertEquals(4, config.get("hidden_size").getAsInt());
    assertEquals(1, config.get("num_hidden_layers").getAsInt());
    assertEquals(2, config.get("num_attention_heads").getAsInt());
    assertEquals(8, config.get("intermediate_size").getAsInt());
    assertEquals(10, config.get("vocab_size").getAsInt());
    assertEquals(6, config.get("max_position_embeddings").getAsInt());
    assertEquals("tiny.onnx", config.getAsJsonObject("neurite_import").get("source").getAsString());
  }

  @Test
  void floatsStoredInFloatDataRatherThanRawDataAreRead() throws IOException {
    TinyBertOnnx model = new TinyBertOnnx();
    model.typedFloats = true;
    Path folder = importTiny(model);
    assertArrayEquals(model.values.get("encoder.layer.0.output.LayerNorm.bias"),
        read(folder, "encoder.layer.0.output.LayerNorm.bias"));
    assertArrayEquals(transpose(model.values.get("onnx::MatMul_100"), 4, 4),
        read(folder, "encoder.layer.0.attention.self.query.weight"));
  }

  @Test
  void anonymousMatMulNodesCannotBeMapped() {
    TinyBertOnnx model = new TinyBertOnnx();
    model.anonymousNodes = true;
    NeuriteException e = refused(model);
    assertTrue(e.getMessage().contains("multiplies by 6 weight matrices, but neither their nodes nor their"
        + " initializers are named after the module"), e.getMessage());
    assertTrue(e.getMessage().contains("weight 'onnx::MatMul_100'"), e.getMessage());
    assertTrue(e.getMessage().contains("Export the model with torch.onnx.export"), e.getMessage());
  }

  @Test
  void aMissingTensorIsNamed() {
    TinyBertOnnx model = new TinyBertOnnx();
    model.omit.add("encoder.layer.0.output.LayerNorm.bias");
    NeuriteException e = refused(model);
    assertTrue(e.getMessage().startsWith("The ONNX file " + dir.resolve("tiny.onnx")
        + " has no initializer for encoder.layer.0.output.LayerNorm.bias"), e.getMessage());
  }

  @Test
  void float16WeightsAreAnUnsupportedDataType() {
    TinyBertOnnx model = new TinyBertOnnx();
    model.float16.add("encoder.layer.0.attention.self.key.bias");
    NeuriteException e = refused(model);
    assertTrue(e.getMessage().startsWith("Tensor 'encoder.layer.0.attention.self.key.bias' [4] in "
        + dir.resolve("tiny.onnx") + " is FLOAT16; Neurite imports float32 encoders only."), e.getMessage());
  }

  @Test
  void externalDataIsRefusedWithTheWayOut() {
    TinyBertOnnx model = new TinyBertOnnx();
    model.external.add("embeddings.word_embeddings.weight");
    NeuriteException e = refused(model);
    assertTrue(e.getMessage().startsWith("Tensor 'embeddings.word_embeddings.weight' [10, 4] in "
        + dir.resolve("tiny.onnx") + " keeps its data in an external file"), e.getMessage());
    assertTrue(e.getMessage().contains("save_as_external_data=False"), e.getMessage());
  }

  @Test
  void aGraphWithoutBertNamesIsNotABertEncoder() throws IOException {
    byte[] bytes = new ProtoReaderTest.Wire().varintField(1, 7)
        .messageField(7, new ProtoReaderTest.Wire().stringField(2, "empty graph")).bytes();
    Path onnx = Files.write(dir.resolve("empty-graph.onnx"), bytes);
    Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");
    NeuriteException e = assertThrows(NeuriteException.class,
        () -> OnnxEncoderImport.fromFiles(onnx, tokenizer, null, dir.resolve("tiny")));
    assertTrue(e.getMessage().contains("is not a BERT encoder export: it has no initializers named encoder.layer.N.*"),
        e.getMessage());
  }
}
