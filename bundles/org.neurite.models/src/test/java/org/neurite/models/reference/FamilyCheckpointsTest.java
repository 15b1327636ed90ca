package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TensorEntry;
import org.neurite.support.safetensors.SafetensorsFile;

/** The layouts of the Qwen3, Gemma, Gemma 2, Gemma 3, Phi-3, GPT-NeoX and OPT tiny checkpoints. */
class FamilyCheckpointsTest {
  @TempDir
  Path tmp;

  private static Map<String, TensorEntry> entries(Path folder) {
    try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
      return f.entries();
    }
  }

  private static void assertShape(Map<String, TensorEntry> e, String name, long... shape) {
    assertTrue(e.containsKey(name), "missing " + name);
    assertArrayEquals(shape, e.get(name).shape(), name);
  }

  private static JsonObject config(Path dir) {
    return Weights.readJson(dir.resolve("config.json"));
  }

  @Test
  void qwen3HasPerHeadNormsAndItsOwnHeadDim() {
    Path dir = TinyCheckpoints.qwen3(tmp.resolve("q")).write();
    Map<String, TensorEntry> e = entries(dir);
    assertShape(e, "model.layers.0.self_attn.q_proj.weight", 64, 32);
    assertShape(e, "model.layers.1.self_attn.k_proj.weight", 32, 32);
    assertShape(e, "model.layers.1.self_attn.o_proj.weight", 32, 64);
    assertShape(e, "model.layers.0.self_attn.q_norm.weight", 16);
    assertShape(e, "model.layers.1.self_attn.k_norm.weight", 16);
    assertShape(e, "lm_head.weight", 64, 32);
    assertEquals(1 + 2 * 11 + 1 + 1, e.size());
    assertFalse(e.keySet().stream().anyMatch(n -> n.endsWith(".bias")));
    JsonObject c = config(dir);
    assertEquals("qwen3", c.get("model_type").getAsString());
    assertEquals(16, c.get("head_dim").getAsInt());
    Map<String, TensorEntry> narrow = entries(TinyCheckpoints.qwen3(tmp.resolve("n")).headDim(8).tied(true)
        .attentionBias(true).write());
    assertShape(narrow, "model.layers.0.self_attn.q_norm.weight", 8);
    assertShape(narrow, "model.layers.0.self_attn.o_proj.bias", 32);
    assertFalse(narrow.containsKey("lm_head.weight"));
  }

  @Test
  void gemmaFlavorsAddTheirNorms() {
    Map<String, TensorEntry> g = entries(TinyCheckpoints.gemma(tmp.resolve("g")).write());
    assertShape(g, "model.layers.0.self_attn.q_proj.weight", 64, 32);
    assertShape(g, "model.layers.0.self_attn.k_proj.weight", 32, 32);
    assertShape(g, "model.layers.1.mlp.gate_proj.weight", 48, 32);
    assertEquals(1 + 2 * 9 + 1, g.size());
    assertFalse(g.containsKey("lm_head.weight"), "Gemma ties its head");
    assertFalse(g.containsKey("model.layers.0.pre_feedforward_layernorm.weight"));

    Path g2dir = TinyCheckpoints.gemma2(tmp.resolve("g2")).write();
    Map<String, TensorEntry> g2 = entries(g2dir);
    assertShape(g2, "model.layers.2.pre_feedforward_layernorm.weight", 32);
    assertShape(g2, "model.layers.2.post_feedforward_layernorm.weight", 32);
    assertEquals(1 + 3 * 11 + 1, g2.size());
    JsonObject c2 = config(g2dir);
    assertEquals(1.0, c2.get("attn_logit_softcapping").getAsDouble());
    assertEquals(2.0, c2.get("final_logit_softcapping").getAsDouble());
    assertEquals(24.0, c2.get("query_pre_attn_scalar").getAsDouble());
    assertFalse(c2.has("layer_types"));
    JsonArray types = config(TinyCheckpoints.gemma2(tmp.resolve("g2t")).layerTypes("full_attention",
        "sliding_attention", "full_attention").write()).getAsJsonArray("layer_types");
    assertEquals("sliding_attention", types.get(1).getAsString());

    Path g3dir = TinyCheckpoints.gemma3(tmp.resolve("g3")).tied(false).write();
    Map<String, TensorEntry> g3 = entries(g3dir);
    assertShape(g3, "model.layers.1.self_attn.q_norm.weight", 16);
    assertShape(g3, "model.layers.1.self_attn.k_norm.weight", 16);
    assertShape(g3, "lm_head.weight", 64, 32);
    assertEquals(1 + 3 * 13 + 1 + 1, g3.size());
    JsonObject c3 = config(g3dir);
    assertEquals("gemma3_text", c3.get("model_type").getAsString());
    assertEquals("Gemma3ForCausalLM", c3.getAsJsonArray("architectures").get(0).getAsString());
    assertEquals(10000.0, c3.get("rope_local_base_freq").getAsDouble());
    assertEquals(2, c3.get("sliding_window_pattern").getAsInt());
    assertTrue(c3.get("final_logit_softcapping").isJsonNull());
    assertThrows(IllegalStateException.class, () -> TinyCheckpoints.gemma(tmp.resolve("x")).attnSoftcap(1.0));
    assertThrows(IllegalStateException.class, () -> TinyCheckpoints.gemma2(tmp.resolve("x")).slidingWindowPattern(3));
  }

  /** Gemma's norm weights are offsets from a scale of 1, so they are drawn around 0, not around 1. */
  @Test
  void gemmaNormWeightsAreOffsets() {
    Weights w = Weights.load(TinyCheckpoints.gemma2(tmp.resolve("o")).seed(3).write());
    double[] n = w.tensor("model.layers.0.pre_feedforward_layernorm.weight").data();
    double mean = 0;
    for (double v : n) {
      mean += v / n.length;
    }
    assertEquals(0.0, mean, 0.06);
  }

  @Test
  void phi3FusesQkvAndGateUp() {
    Path dir = TinyCheckpoints.phi3(tmp.resolve("p")).write();
    Map<String, TensorEntry> e = entries(dir);
    assertShape(e, "model.layers.0.self_attn.qkv_proj.weight", (4 + 2 * 2) * 8, 32);
    assertShape(e, "model.layers.0.self_attn.o_proj.weight", 32, 32);
    assertShape(e, "model.layers.1.mlp.gate_up_proj.weight", 96, 32);
    assertShape(e, "model.layers.1.mlp.down_proj.weight", 32, 48);
    assertShape(e, "lm_head.weight", 64, 32);
    assertEquals(1 + 2 * 6 + 1 + 1, e.size());
    Path lr = TinyCheckpoints.phi3(tmp.resolve("lr")).partialRotaryFactor(0.5).longRope(4, 32).write();
    JsonObject c = config(lr);
    JsonObject scaling = c.getAsJsonObject("rope_scaling");
    assertEquals("longrope", scaling.get("type").getAsString());
    assertEquals(2, scaling.getAsJsonArray("short_factor").size(), "one factor per rotated pair: 8 * 0.5 / 2");
    assertEquals(4, c.get("original_max_position_embeddings").getAsInt());
    assertEquals(32, c.get("max_position_embeddings").getAsInt());
    assertEquals(0.5, c.get("partial_rotary_factor").getAsDouble());
  }

  @Test
  void gptNeoxLayout() {
    Path dir = TinyCheckpoints.gptNeox(tmp.resolve("n")).write();
    Map<String, TensorEntry> e = entries(dir);
    assertShape(e, "gpt_neox.embed_in.weight", 64, 32);
    assertShape(e, "gpt_neox.layers.0.attention.query_key_value.weight", 96, 32);
    assertShape(e, "gpt_neox.layers.0.attention.query_key_value.bias", 96);
    assertShape(e, "gpt_neox.layers.1.attention.dense.bias", 32);
    assertShape(e, "gpt_neox.layers.1.mlp.dense_h_to_4h.weight", 64, 32);
    assertShape(e, "gpt_neox.layers.1.mlp.dense_4h_to_h.weight", 32, 64);
    assertShape(e, "gpt_neox.layers.0.input_layernorm.bias", 32);
    assertShape(e, "gpt_neox.final_layer_norm.weight", 32);
    assertShape(e, "embed_out.weight", 64, 32);
    assertEquals(1 + 2 * 12 + 2 + 1, e.size());
    JsonObject c = config(dir);
    assertEquals("gpt_neox", c.get("model_type").getAsString());
    assertEquals(0.5, c.get("rotary_pct").getAsDouble());
    assertTrue(c.get("use_parallel_residual").getAsBoolean());
    Map<String, TensorEntry> tied = entries(TinyCheckpoints.gptNeox(tmp.resolve("t")).tied(true).attentionBias(false)
        .parallelResidual(false).write());
    assertFalse(tied.containsKey("embed_out.weight"));
    assertFalse(tied.containsKey("gpt_neox.layers.0.attention.dense.bias"));
  }

  @Test
  void optLayouts() {
    Path dir = TinyCheckpoints.opt(tmp.resolve("o")).write();
    Map<String, TensorEntry> e = entries(dir);
    assertShape(e, "model.decoder.embed_tokens.weight", 64, 32);
    assertShape(e, "model.decoder.embed_positions.weight", 66, 32);
    assertShape(e, "model.decoder.final_layer_norm.bias", 32);
    assertShape(e, "model.decoder.layers.1.self_attn.q_proj.bias", 32);
    assertShape(e, "model.decoder.layers.1.self_attn.out_proj.weight", 32, 32);
    assertShape(e, "model.decoder.layers.0.fc1.weight", 64, 32);
    assertShape(e, "model.decoder.layers.0.fc2.weight", 32, 64);
    assertShape(e, "model.decoder.layers.0.self_attn_layer_norm.weight", 32);
    assertEquals(2 + 2 + 2 * 16, e.size());
    assertFalse(e.containsKey("lm_head.weight"));
    assertFalse(e.containsKey("model.decoder.project_in.weight"));

    Path post = TinyCheckpoints.opt(tmp.resolve("p")).layerNormBefore(false).wordEmbedProjDim(16).tied(false).write();
    Map<String, TensorEntry> p = entries(post);
    assertShape(p, "model.decoder.embed_tokens.weight", 64, 16);
    assertShape(p, "model.decoder.project_in.weight", 32, 16);
    assertShape(p, "model.decoder.project_out.weight", 16, 32);
    assertShape(p, "lm_head.weight", 64, 16);
    assertFalse(p.containsKey("model.decoder.final_layer_norm.weight"), "post-LN OPT has no final norm");
    assertFalse(config(post).get("do_layer_norm_before").getAsBoolean());
  }

  @Test
  void newBuildersShareSeedsDtypesShardingAndConfigEdits() throws Exception {
    Path a = TinyCheckpoints.gemma3(tmp.resolve("a")).seed(4).dtype("BF16").sharded(true)
        .configEdits("{\"rope_scaling\":null,\"rope_theta\":null,\"rope_local_base_freq\":null,\"rope_parameters\":"
            + "{\"full_attention\":{\"rope_type\":\"linear\",\"factor\":8.0,\"rope_theta\":1000000.0},"
            + "\"sliding_attention\":{\"rope_type\":\"default\",\"rope_theta\":10000.0}}}").write();
    assertTrue(Files.exists(a.resolve("model.safetensors.index.json")));
    JsonObject c = config(a);
    assertFalse(c.has("rope_theta"));
    assertFalse(c.has("rope_scaling"));
    assertEquals("linear", c.getAsJsonObject("rope_parameters").getAsJsonObject("full_attention")
        .get("rope_type").getAsString());
    assertEquals("bfloat16", c.get("torch_dtype").getAsString());
    Weights w = Weights.load(a);
    Weights same = Weights.load(TinyCheckpoints.gemma3(tmp.resolve("b")).seed(4).dtype("BF16").write());
    for (String n : w.names()) {
      assertArrayEquals(w.tensor(n).data(), same.tensor(n).data(), n);
    }
    Path opt = TinyCheckpoints.opt(tmp.resolve("f16")).dtype(TensorDtype.F16).write();
    assertTrue(entries(opt).values().stream().allMatch(t -> t.dtype() == TensorDtype.F16));
  }
}
