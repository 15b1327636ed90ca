package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;

class TinyCheckpointsTest {
  @TempDir
  Path tmp;

  private static Map<String, TensorEntry> entries(Path folder) {
    try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      return f.entries();
    }
  }

  private static long[] shape(Map<String, TensorEntry> e, String name) {
    assertTrue(e.containsKey(name), "missing " + name);
    return e.get(name).shape();
  }

  @Test
  void gpt2LayoutIsGpt2LmHeadModel() {
    Path dir = TinyCheckpoints.gpt2(tmp.resolve("g")).write();
    Map<String, TensorEntry> e = entries(dir);
    assertEquals(2 + 2 * 12 + 2, e.size());
    assertArrayEquals(new long[] {101, 32}, shape(e, "transformer.wte.weight"));
    assertArrayEquals(new long[] {64, 32}, shape(e, "transformer.wpe.weight"));
    assertArrayEquals(new long[] {32, 96}, shape(e, "transformer.h.0.attn.c_attn.weight"));
    assertArrayEquals(new long[] {96}, shape(e, "transformer.h.1.attn.c_attn.bias"));
    assertArrayEquals(new long[] {32, 32}, shape(e, "transformer.h.1.attn.c_proj.weight"));
    assertArrayEquals(new long[] {32, 128}, shape(e, "transformer.h.0.mlp.c_fc.weight"));
    assertArrayEquals(new long[] {128, 32}, shape(e, "transformer.h.0.mlp.c_proj.weight"));
    assertArrayEquals(new long[] {32}, shape(e, "transformer.ln_f.bias"));
    assertFalse(e.containsKey("lm_head.weight"));
    JsonObject c = Weights.readJson(dir.resolve("config.json"));
    assertEquals("gpt2", c.get("model_type").getAsString());
    assertEquals("GPT2LMHeadModel", c.getAsJsonArray("architectures").get(0).getAsString());
    assertTrue(c.get("n_inner").isJsonNull());
    assertEquals("gelu_new", c.get("activation_function").getAsString());
    assertEquals("float32", c.get("torch_dtype").getAsString());
    Path bare = TinyCheckpoints.gpt2(tmp.resolve("bare")).prefixed(false).write();
    assertTrue(entries(bare).containsKey("h.0.attn.c_attn.weight"));
  }

  @Test
  void llamaFamilyLayouts() {
    Map<String, TensorEntry> untied = entries(TinyCheckpoints.llama(tmp.resolve("l")).write());
    assertArrayEquals(new long[] {101, 32}, shape(untied, "model.embed_tokens.weight"));
    assertArrayEquals(new long[] {32, 32}, shape(untied, "model.layers.0.self_attn.q_proj.weight"));
    assertArrayEquals(new long[] {16, 32}, shape(untied, "model.layers.0.self_attn.k_proj.weight"));
    assertArrayEquals(new long[] {16, 32}, shape(untied, "model.layers.1.self_attn.v_proj.weight"));
    assertArrayEquals(new long[] {32, 32}, shape(untied, "model.layers.1.self_attn.o_proj.weight"));
    assertArrayEquals(new long[] {48, 32}, shape(untied, "model.layers.0.mlp.gate_proj.weight"));
    assertArrayEquals(new long[] {48, 32}, shape(untied, "model.layers.0.mlp.up_proj.weight"));
    assertArrayEquals(new long[] {32, 48}, shape(untied, "model.layers.0.mlp.down_proj.weight"));
    assertArrayEquals(new long[] {32}, shape(untied, "model.layers.1.post_attention_layernorm.weight"));
    assertArrayEquals(new long[] {101, 32}, shape(untied, "lm_head.weight"));
    assertEquals(1 + 2 * 9 + 1 + 1, untied.size());
    assertFalse(untied.keySet().stream().anyMatch(n -> n.endsWith(".bias")));

    assertFalse(entries(TinyCheckpoints.llama(tmp.resolve("t")).tied(true).write()).containsKey("lm_head.weight"));

    Path qwen = TinyCheckpoints.qwen2(tmp.resolve("q")).write();
    Map<String, TensorEntry> q = entries(qwen);
    assertArrayEquals(new long[] {32}, shape(q, "model.layers.0.self_attn.q_proj.bias"));
    assertArrayEquals(new long[] {16}, shape(q, "model.layers.0.self_attn.k_proj.bias"));
    assertArrayEquals(new long[] {16}, shape(q, "model.layers.0.self_attn.v_proj.bias"));
    assertFalse(q.containsKey("model.layers.0.self_attn.o_proj.bias"));
    JsonObject qc = Weights.readJson(qwen.resolve("config.json"));
    assertEquals("qwen2", qc.get("model_type").getAsString());
    assertFalse(qc.get("use_sliding_window").getAsBoolean());

    Path mistral = TinyCheckpoints.mistral(tmp.resolve("m")).write();
    JsonObject mc = Weights.readJson(mistral.resolve("config.json"));
    assertEquals(4, mc.get("sliding_window").getAsInt());
    assertEquals("MistralForCausalLM", mc.getAsJsonArray("architectures").get(0).getAsString());

    Path scaled = TinyCheckpoints.llama(tmp.resolve("s"))
        .ropeScaling("{\"rope_type\":\"linear\",\"factor\":2.0}").write();
    JsonObject sc = Weights.readJson(scaled.resolve("config.json"));
    assertEquals("linear", sc.getAsJsonObject("rope_scaling").get("rope_type").getAsString());
    assertEquals(8, sc.get("head_dim").getAsInt());
  }

  @Test
  void bertLayouts() {
    Map<String, TensorEntry> mlm = entries(TinyCheckpoints.bert(tmp.resolve("b")).write());
    assertArrayEquals(new long[] {101, 32}, shape(mlm, "bert.embeddings.word_embeddings.weight"));
    assertArrayEquals(new long[] {64, 32}, shape(mlm, "bert.embeddings.position_embeddings.weight"));
    assertArrayEquals(new long[] {2, 32}, shape(mlm, "bert.embeddings.token_type_embeddings.weight"));
    assertArrayEquals(new long[] {32}, shape(mlm, "bert.embeddings.LayerNorm.bias"));
    assertArrayEquals(new long[] {32, 32}, shape(mlm, "bert.encoder.layer.1.attention.self.key.weight"));
    assertArrayEquals(new long[] {32}, shape(mlm, "bert.encoder.layer.1.attention.output.LayerNorm.weight"));
    assertArrayEquals(new long[] {64, 32}, shape(mlm, "bert.encoder.layer.0.intermediate.dense.weight"));
    assertArrayEquals(new long[] {32, 64}, shape(mlm, "bert.encoder.layer.0.output.dense.weight"));
    assertArrayEquals(new long[] {32, 32}, shape(mlm, "bert.pooler.dense.weight"));
    assertArrayEquals(new long[] {101}, shape(mlm, "cls.predictions.bias"));
    assertArrayEquals(new long[] {32, 32}, shape(mlm, "cls.predictions.transform.dense.weight"));
    assertArrayEquals(new long[] {32}, shape(mlm, "cls.predictions.transform.LayerNorm.weight"));
    assertFalse(mlm.containsKey("cls.predictions.decoder.weight"));

    Map<String, TensorEntry> base = entries(TinyCheckpoints.bert(tmp.resolve("bm")).maskedLm(false).write());
    assertTrue(base.containsKey("embeddings.word_embeddings.weight"));
    assertTrue(base.containsKey("pooler.dense.weight"));
    assertFalse(base.keySet().stream().anyMatch(n -> n.startsWith("cls.") || n.startsWith("bert.")));
  }

  @Test
  void drawsFollowTheSpec() {
    Weights w = Weights.load(TinyCheckpoints.llama(tmp.resolve("d")).seed(5).write());
    double[] m = w.tensor("model.layers.0.mlp.up_proj.weight").data();
    double[] n = w.tensor("model.layers.0.input_layernorm.weight").data();
    double mean = 0;
    double sq = 0;
    for (double v : m) {
      mean += v / m.length;
      sq += v * v / m.length;
    }
    assertEquals(0.0, mean, 0.03);
    assertEquals(0.2, Math.sqrt(sq), 0.02);
    double normMean = 0;
    for (double v : n) {
      normMean += v / n.length;
    }
    assertEquals(1.0, normMean, 0.06);
    Weights same = Weights.load(TinyCheckpoints.llama(tmp.resolve("d2")).seed(5).write());
    Weights other = Weights.load(TinyCheckpoints.llama(tmp.resolve("d3")).seed(6).write());
    assertArrayEquals(m, same.tensor("model.layers.0.mlp.up_proj.weight").data());
    assertFalse(Arrays.equals(m, other.tensor("model.layers.0.mlp.up_proj.weight").data()));
  }

  @Test
  void dtypesRoundTheFloat32Values() {
    Weights f32 = Weights.load(TinyCheckpoints.gpt2(tmp.resolve("f32")).seed(2).write());
    for (TensorDtype t : new TensorDtype[] {TensorDtype.F16, TensorDtype.BF16}) {
      Path dir = TinyCheckpoints.gpt2(tmp.resolve(t.name())).seed(2).dtype(t.name()).write();
      assertTrue(entries(dir).values().stream().allMatch(e -> e.dtype() == t));
      Weights w = Weights.load(dir);
      for (String name : f32.names()) {
        double[] a = f32.tensor(name).data();
        double[] b = w.tensor(name).data();
        for (int i = 0; i < a.length; i++) {
          assertEquals(Dtypes.roundTrip(t, a[i]), b[i], 0.0, name);
        }
      }
      String expected = t == TensorDtype.F16 ? "float16" : "bfloat16";
      assertEquals(expected, Weights.readJson(dir.resolve("config.json")).get("torch_dtype").getAsString());
    }
  }

  @Test
  void shardedHasIndexAndTwoFiles() throws Exception {
    Path dir = TinyCheckpoints.bert(tmp.resolve("sh")).sharded(true).dtype("F16").write();
    assertFalse(Files.exists(dir.resolve("model.safetensors")));
    JsonObject index = Weights.readJson(dir.resolve("model.safetensors.index.json"));
    JsonObject map = index.getAsJsonObject("weight_map");
    Set<String> files = new HashSet<>();
    long bytes = 0;
    int tensors = 0;
    for (String file : new String[] {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"}) {
      try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(file))) {
        assertFalse(f.entries().isEmpty());
        for (TensorEntry e : f.entries().values()) {
          assertEquals(file, map.get(e.name()).getAsString());
          bytes += e.end() - e.begin();
          tensors++;
          files.add(file);
        }
      }
    }
    assertEquals(2, files.size());
    assertEquals(map.size(), tensors);
    assertEquals(bytes, index.getAsJsonObject("metadata").get("total_size").getAsLong());
    Path single = TinyCheckpoints.bert(tmp.resolve("sh")).dtype("F16").write();
    assertTrue(Files.exists(single.resolve("model.safetensors")));
    assertFalse(Files.exists(single.resolve("model.safetensors.index.json")), "rewriting removes the old shards");
    assertFalse(Files.exists(single.resolve("model-00001-of-00002.safetensors")));
  }

  @Test
  void editorZeroesOneColumnAndKeepsTheRest() {
    Path src = TinyCheckpoints.llama(tmp.resolve("src")).sharded(true).dtype("BF16").write();
    String name = "model.layers.1.mlp.down_proj.weight";
    Path dst = TinyCheckpoints.edit(src, tmp.resolve("dst")).zeroColumn(name, 7)
        .config("rms_norm_eps", new JsonPrimitive(1e-5)).write();
    assertTrue(Files.exists(dst.resolve("model.safetensors.index.json")));
    Weights a = Weights.load(src);
    Weights b = Weights.load(dst);
    assertEquals(a.names(), b.names());
    for (String n : a.names()) {
      double[] x = a.tensor(n).data();
      double[] y = b.tensor(n).data();
      if (!n.equals(name)) {
        assertArrayEquals(x, y, n);
        continue;
      }
      for (int i = 0; i < x.length; i++) {
        assertEquals(i % 48 == 7 ? 0.0 : x[i], y[i], 0.0);
      }
      assertNotEquals(0.0, x[7]);
    }
    assertEquals(1e-5, Weights.readJson(dst.resolve("config.json")).get("rms_norm_eps").getAsDouble());
    assertThrows(IllegalArgumentException.class,
        () -> TinyCheckpoints.edit(src, tmp.resolve("bad")).zeroRow("no.such.tensor", 0).write());
  }
}
