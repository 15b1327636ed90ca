package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.api.model.TensorDtype;

/**
 * Properties the references of Qwen3, Gemma, Gemma 2, Gemma 3, Phi-3, GPT-NeoX and OPT must have,
 * checked without any other implementation; where a family is another one in disguise (Gemma and
 * Phi-3 are Llama with rewritten weights) the two references must agree exactly.
 */
class FamilyReferenceTest {
  private static final int VOCAB = 64;

  @TempDir
  Path tmp;

  private static Path write(String family, Path dir) {
    return switch (family) {
      case "qwen3" -> TinyCheckpoints.qwen3(dir).seed(21).write();
      case "gemma" -> TinyCheckpoints.gemma(dir).seed(22).write();
      case "gemma2" -> TinyCheckpoints.gemma2(dir).seed(23).write();
      case "gemma3" -> TinyCheckpoints.gemma3(dir).seed(24).write();
      case "phi3" -> TinyCheckpoints.phi3(dir).seed(25).write();
      case "gpt_neox" -> TinyCheckpoints.gptNeox(dir).seed(26).write();
      case "gpt_neox sequential" -> TinyCheckpoints.gptNeox(dir).seed(26).parallelResidual(false).write();
      case "opt" -> TinyCheckpoints.opt(dir).seed(27).write();
      case "opt post-LN projected" -> TinyCheckpoints.opt(dir).seed(28).layerNormBefore(false).wordEmbedProjDim(16)
          .write();
      default -> throw new IllegalArgumentException(family);
    };
  }

  private ReferenceModel model(String family) {
    return ReferenceModel.load(write(family, tmp.resolve(family.replace(' ', '-'))));
  }

  private static long[] ids(long seed) {
    return RefAssert.ids(seed, 7, VOCAB);
  }

  /** ids with token {@code position} replaced by another. */
  private static long[] changedAt(long[] ids, int position) {
    long[] c = ids.clone();
    c[position] = (ids[position] + 17) % VOCAB;
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "gemma", "gemma2", "gemma3", "phi3", "gpt_neox", "gpt_neox sequential", "opt",
      "opt post-LN projected"})
  void causalAndNormalized(String family) {
    ReferenceModel m = model(family);
    long[] ids = ids(1);
    long[] changed = ids.clone();
    for (int t = 4; t < ids.length; t++) {
      changed[t] = (ids[t] + 1 + t) % VOCAB;
    }
    Result a = m.run(ids);
    Result b = m.run(changed);
    assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(a.logits(), 0, 4), RefAssert.rows(b.logits(), 0, 4)));
    for (int l = 0; l < m.layers(); l++) {
      assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(a.layer(l).post(), 0, 4),
          RefAssert.rows(b.layer(l).post(), 0, 4)));
    }
    for (int t = 4; t < ids.length; t++) {
      assertTrue(RefAssert.maxDiff(a.logits()[t], b.logits()[t]) > 1e-3, "position " + t + " sees its own token");
    }
    assertEquals(VOCAB, a.logits()[0].length);
    for (double[] row : a.logits()) {
      double sum = 0;
      for (double p : ReferenceModel.softmax(row)) {
        assertTrue(p > 0 && p < 1);
        sum += p;
      }
      assertEquals(1.0, sum, 1e-12);
    }
    double scale = RefAssert.maxAbs(a.logits());
    assertTrue(scale > 0.3 && scale < 30, family + " logits are O(1): " + scale);
  }

  /** Sizes and hook shapes: gated MLPs have preLinear, the others do not. */
  @ParameterizedTest
  @ValueSource(strings = {"qwen3:3:2:32:48:true", "gemma:4:2:32:48:true", "gemma2:5:3:32:48:true",
      "gemma3:6:3:32:48:true", "phi3:7:2:32:48:true", "gpt_neox:8:2:32:64:false", "opt:9:2:32:64:false"})
  void sizesAndHookShapes(String spec) {
    String[] f = spec.split(":");
    ReferenceModel m = model(f[0]);
    assertEquals(Integer.parseInt(f[2]), m.layers());
    assertEquals(Integer.parseInt(f[3]), m.hiddenSize());
    assertEquals(Integer.parseInt(f[4]), m.mlpWidth());
    assertEquals(VOCAB, m.vocabSize());
    assertEquals(Boolean.parseBoolean(f[5]), m.gated());
    Result r = m.run(ids(Integer.parseInt(f[1])));
    Result.Layer last = r.layer(m.layers() - 1);
    assertEquals(m.mlpWidth(), last.pre()[6].length);
    assertEquals(m.mlpWidth(), last.post()[6].length);
    assertEquals(m.gated(), last.preLinear() != null);
    assertEquals(m.hiddenSize(), last.residPost()[6].length);
    assertEquals(m.hiddenSize(), r.lastHiddenState()[6].length);
    assertEquals(m.layers(), r.layers().size());
  }

  /** Sharded BF16 folders read back to exactly the values of one file, for every new family's names. */
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "gemma3", "phi3", "gpt_neox", "opt"})
  void shardedEqualsUnshardedExactly(String family) {
    Path one = switch (family) {
      case "qwen3" -> TinyCheckpoints.qwen3(tmp.resolve("1")).seed(40).dtype("BF16").write();
      case "gemma3" -> TinyCheckpoints.gemma3(tmp.resolve("1")).seed(40).dtype("BF16").write();
      case "phi3" -> TinyCheckpoints.phi3(tmp.resolve("1")).seed(40).dtype("BF16").write();
      case "gpt_neox" -> TinyCheckpoints.gptNeox(tmp.resolve("1")).seed(40).dtype("BF16").write();
      default -> TinyCheckpoints.opt(tmp.resolve("1")).seed(40).dtype("BF16").write();
    };
    Path two = switch (family) {
      case "qwen3" -> TinyCheckpoints.qwen3(tmp.resolve("2")).seed(40).dtype("BF16").sharded(true).write();
      case "gemma3" -> TinyCheckpoints.gemma3(tmp.resolve("2")).seed(40).dtype("BF16").sharded(true).write();
      case "phi3" -> TinyCheckpoints.phi3(tmp.resolve("2")).seed(40).dtype("BF16").sharded(true).write();
      case "gpt_neox" -> TinyCheckpoints.gptNeox(tmp.resolve("2")).seed(40).dtype("BF16").sharded(true).write();
      default -> TinyCheckpoints.opt(tmp.resolve("2")).seed(40).dtype("BF16").sharded(true).write();
    };
    long[] ids = ids(41);
    Result a = ReferenceModel.load(one).run(ids);
    Result b = ReferenceModel.load(two).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(a.logits(), b.logits()));
    assertEquals(0.0, RefAssert.maxDiff(a.lastHiddenState(), b.lastHiddenState()));
  }

  /** Every listed weight changes the logits when scaled by 1.5: none is read from the wrong place or ignored. */
  @ParameterizedTest
  @ValueSource(strings = {
      "qwen3:model.layers.0.self_attn.q_norm.weight", "qwen3:model.layers.1.self_attn.k_norm.weight",
      "gemma:model.layers.1.post_attention_layernorm.weight", "gemma:model.norm.weight",
      "gemma2:model.layers.0.pre_feedforward_layernorm.weight", "gemma2:model.layers.2.post_feedforward_layernorm.weight",
      "gemma2:model.layers.1.post_attention_layernorm.weight",
      "gemma3:model.layers.0.self_attn.q_norm.weight", "gemma3:model.layers.2.self_attn.k_norm.weight",
      "gemma3:model.layers.1.post_feedforward_layernorm.weight",
      "phi3:model.layers.0.self_attn.qkv_proj.weight", "phi3:model.layers.1.mlp.gate_up_proj.weight",
      "gpt_neox:gpt_neox.layers.0.attention.query_key_value.bias", "gpt_neox:gpt_neox.layers.1.post_attention_layernorm.bias",
      "gpt_neox:embed_out.weight", "gpt_neox:gpt_neox.final_layer_norm.weight",
      "opt:model.decoder.embed_positions.weight", "opt:model.decoder.final_layer_norm.bias",
      "opt:model.decoder.layers.1.self_attn.q_proj.bias", "opt:model.decoder.layers.0.self_attn.v_proj.bias",
      "opt post-LN projected:model.decoder.project_in.weight", "opt post-LN projected:model.decoder.project_out.weight",
      "opt post-LN projected:model.decoder.layers.1.final_layer_norm.weight"})
  void weightMatters(String spec) {
    String family = spec.substring(0, spec.indexOf(':'));
    String name = spec.substring(spec.indexOf(':') + 1);
    Path src = write(family, tmp.resolve("src"));
    Path dst = TinyCheckpoints.edit(src, tmp.resolve("dst")).tensor(name, (shape, values) -> {
      double[] v = values.clone();
      for (int i = 0; i < v.length; i++) {
        v[i] = v[i] == 0.0 ? 0.1 : v[i] * 1.5;
      }
      return new CheckpointEditor.Replacement(shape, v);
    }).write();
    long[] ids = ids(2);
    double d = RefAssert.maxDiff(ReferenceModel.load(src).run(ids).logits(), ReferenceModel.load(dst).run(ids).logits());
    assertTrue(d > 1e-4, name + " moves the logits by " + d);
  }

  /**
   * Every stored tensor reaches the logits (noise of 0.3 on all of it), except OPT's key biases, which
   * softmax cancels because OPT has no rotary embedding to turn them differently at each position.
   */
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "gemma", "gemma2", "gemma3", "phi3", "gpt_neox", "gpt_neox sequential", "opt",
      "opt post-LN projected"})
  void perturbingAnyTensorChangesTheLogits(String family) {
    Path src = write(family, tmp.resolve("src"));
    long[] ids = ids(30);
    Result base = ReferenceModel.load(src).run(ids);
    int i = 0;
    for (String name : Weights.load(src).names()) {
      java.util.Random noise = new java.util.Random(i);
      Path edited = TinyCheckpoints.edit(src, tmp.resolve("e" + i++)).tensor(name, (shape, values) -> {
        for (int k = 0; k < values.length; k++) {
          values[k] += noise.nextGaussian() * 0.3;
        }
        return new CheckpointEditor.Replacement(shape, values);
      }).write();
      double d = RefAssert.maxDiff(base.logits(), ReferenceModel.load(edited).run(ids).logits());
      boolean keyBias = name.endsWith("self_attn.k_proj.bias");
      assertTrue(keyBias ? d < 1e-12 : d > 1e-6, family + ": " + name + " changed the logits by " + d);
    }
  }

  /**
   * With every layer sliding over a window of 3, position t depends on tokens t - 2L .. t through L
   * layers, so the first token cannot reach positions 5 and 6 of two layers; one full-attention layer
   * lets it through.
   */
  @Test
  void tokensBeyondTheWindowDoNotInfluence() {
    Map<String, Path> allSliding = Map.of(
        "qwen3", TinyCheckpoints.qwen3(tmp.resolve("q")).seed(3).useSlidingWindow(true, 0).write(),
        "gemma2", TinyCheckpoints.gemma2(tmp.resolve("g2")).seed(3).layers(2)
            .layerTypes("sliding_attention", "sliding_attention").write(),
        "gemma3", TinyCheckpoints.gemma3(tmp.resolve("g3")).seed(3).layers(2).slidingWindowPattern(3).write(),
        "phi3", TinyCheckpoints.phi3(tmp.resolve("p")).seed(3).slidingWindow(3).write());
    Map<String, Path> oneFull = Map.of(
        "qwen3", TinyCheckpoints.qwen3(tmp.resolve("qf")).seed(3).useSlidingWindow(true, 1).write(),
        "gemma2", TinyCheckpoints.gemma2(tmp.resolve("g2f")).seed(3).layers(2).write(),
        "gemma3", TinyCheckpoints.gemma3(tmp.resolve("g3f")).seed(3).layers(2).write(),
        "phi3", TinyCheckpoints.phi3(tmp.resolve("pf")).seed(3).write());
    long[] ids = ids(3);
    long[] changed = changedAt(ids, 0);
    for (String family : allSliding.keySet()) {
      ReferenceModel sliding = ReferenceModel.load(allSliding.get(family));
      Result a = sliding.run(ids);
      Result b = sliding.run(changed);
      assertTrue(RefAssert.maxDiff(a.logits()[4], b.logits()[4]) > 1e-4, family + ": position 4 sees token 0");
      assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(a.logits(), 5, 7), RefAssert.rows(b.logits(), 5, 7)), family);
      ReferenceModel full = ReferenceModel.load(oneFull.get(family));
      assertTrue(RefAssert.maxDiff(full.run(ids).logits()[6], full.run(changed).logits()[6]) > 1e-4,
          family + ": a full-attention layer reaches back");
    }
  }

  /** Gemma 2 without layer_types slides on even layers: spelling that rule out changes nothing, another does. */
  @Test
  void gemma2LayerTypesAndTheEvenOddRuleAgree() {
    long[] ids = ids(4);
    Result rule = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("r")).seed(5).write()).run(ids);
    Result spelled = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("s")).seed(5)
        .layerTypes("sliding_attention", "full_attention", "sliding_attention").write()).run(ids);
    Result swapped = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("w")).seed(5)
        .layerTypes("full_attention", "sliding_attention", "full_attention").write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(rule.logits(), spelled.logits()));
    assertTrue(RefAssert.maxDiff(rule.logits(), swapped.logits()) > 1e-3);
  }

  /** The final softcap bounds the logits and is exactly cap * tanh(raw / cap); both caps bite at these scales. */
  @Test
  void gemma2SoftcapsBite() {
    long[] ids = ids(6);
    Result capped = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("c")).seed(7).write()).run(ids);
    Result raw = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("r")).seed(7).finalSoftcap(null).write())
        .run(ids);
    assertTrue(RefAssert.maxAbs(capped.logits()) < 2.0);
    assertTrue(RefAssert.maxAbs(raw.logits()) > 2.0, "the cap of 2 bites: " + RefAssert.maxAbs(raw.logits()));
    assertEquals(0.0, RefAssert.maxDiff(capped.lastHiddenState(), raw.lastHiddenState()));
    double[][] expected = RefMath.softcap(raw.logits(), 2.0);
    assertEquals(0.0, RefAssert.maxDiff(expected, capped.logits()), 1e-15);

    Result noAttnCap = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("n")).seed(7).attnSoftcap(null).write())
        .run(ids);
    Result hugeAttnCap = ReferenceModel.load(TinyCheckpoints.gemma2(tmp.resolve("h")).seed(7).attnSoftcap(1e7).write())
        .run(ids);
    assertTrue(RefAssert.maxDiff(capped.logits(), noAttnCap.logits()) > 1e-3, "an attention cap of 1 bites");
    assertTrue(RefAssert.maxDiff(hugeAttnCap.logits(), noAttnCap.logits()) < 1e-9, "a huge cap is no cap");
  }

  /**
   * A Gemma norm with zero weight is the plain RMSNorm (scale 1): the last hidden state is then the
   * last block's output divided by its root mean square.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gemma", "gemma2", "gemma3"})
  void gemmaNormWithZeroWeightIsPlainRmsNorm(String family) {
    Path src = write(family, tmp.resolve("src"));
    Path dst = TinyCheckpoints.edit(src, tmp.resolve("zero")).tensor("model.norm.weight",
        (shape, values) -> new CheckpointEditor.Replacement(shape, new double[values.length])).write();
    ReferenceModel m = ReferenceModel.load(dst);
    Result r = m.run(ids(8));
    double[][] h = r.layer(m.layers() - 1).residPost();
    double[] ones = new double[32];
    java.util.Arrays.fill(ones, 1.0);
    assertEquals(0.0, RefAssert.maxDiff(RefMath.rmsNorm(h, ones, 1e-6), r.lastHiddenState()));
    for (double[] row : r.lastHiddenState()) {
      double ms = 0;
      for (double v : row) {
        ms += v * v / row.length;
      }
      assertEquals(1.0, ms, 1e-5);
    }
    Result stored = ReferenceModel.load(src).run(ids(8));
    assertTrue(RefAssert.maxDiff(stored.lastHiddenState(), r.lastHiddenState()) > 1e-3, "the stored offsets matter");
  }

  /** Gemma's embeddings are the table rows times sqrt(hidden_size); the tied head uses the unscaled table. */
  @Test
  void gemmaScalesEmbeddingsButNotTheHead() {
    Path dir = write("gemma", tmp.resolve("g"));
    double[][] table = Weights.load(dir).matrix("model.embed_tokens.weight", VOCAB, 32);
    long[] ids = ids(9);
    Result r = ReferenceModel.load(dir).run(ids);
    for (int t = 0; t < ids.length; t++) {
      for (int i = 0; i < 32; i++) {
        assertEquals(table[(int) ids[t]][i] * Math.sqrt(32), r.embeddings()[t][i], 0.0);
      }
      double dot = 0;
      for (int i = 0; i < 32; i++) {
        dot += r.lastHiddenState()[t][i] * table[5][i];
      }
      assertEquals(dot, r.logits()[t][5], 1e-12);
    }
  }

  /** Per-head q/k norms make the output blind to the scale of q_proj, unlike the scale of q_norm. */
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "gemma3"})
  void queryKeyNormsRemoveTheProjectionScale(String family) {
    Path src = write(family, tmp.resolve("src"));
    Path scaledProj = TinyCheckpoints.edit(src, tmp.resolve("proj"))
        .tensor("model.layers.0.self_attn.q_proj.weight", times(4.0))
        .tensor("model.layers.1.self_attn.k_proj.weight", times(0.5)).write();
    long[] ids = ids(10);
    Result base = ReferenceModel.load(src).run(ids);
    double d = RefAssert.maxDiff(base.logits(), ReferenceModel.load(scaledProj).run(ids).logits());
    assertTrue(d < 1e-5, "only eps sees the scale: " + d);
    Path scaledNorm = TinyCheckpoints.edit(src, tmp.resolve("norm"))
        .tensor("model.layers.0.self_attn.q_norm.weight", family.equals("qwen3") ? times(4.0) : plus(3.0)).write();
    assertTrue(RefAssert.maxDiff(base.logits(), ReferenceModel.load(scaledNorm).run(ids).logits()) > 1e-3);
  }

  private static CheckpointEditor.TensorEdit times(double s) {
    return (shape, values) -> {
      double[] v = values.clone();
      for (int i = 0; i < v.length; i++) {
        v[i] *= s;
      }
      return new CheckpointEditor.Replacement(shape, v);
    };
  }

  private static CheckpointEditor.TensorEdit plus(double s) {
    return (shape, values) -> {
      double[] v = values.clone();
      for (int i = 0; i < v.length; i++) {
        v[i] += s;
      }
      return new CheckpointEditor.Replacement(shape, v);
    };
  }

  /** Gemma 3's sliding and global layers turn by different bases; one base for both changes the output. */
  @Test
  void gemma3LocalAndGlobalRopeDiffer() {
    long[] ids = ids(11);
    Result two = ReferenceModel.load(TinyCheckpoints.gemma3(tmp.resolve("a")).seed(12).write()).run(ids);
    Result one = ReferenceModel.load(TinyCheckpoints.gemma3(tmp.resolve("b")).seed(12).ropeLocalBaseFreq(1_000_000.0)
        .write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(two.logits(), 0, 1), RefAssert.rows(one.logits(), 0, 1)),
        "position 0 does not turn");
    assertTrue(RefAssert.maxDiff(two.logits(), one.logits()) > 1e-4);
    Result scaled = ReferenceModel.load(TinyCheckpoints.gemma3(tmp.resolve("c")).seed(12)
        .ropeScaling("{\"rope_type\":\"linear\",\"factor\":8.0}").write()).run(ids);
    assertTrue(RefAssert.maxDiff(two.layer(1).residPost(), scaled.layer(1).residPost()) > 1e-4,
        "rope_scaling reaches the global layer");
    assertEquals(0.0, RefAssert.maxDiff(two.layer(0).residPost(), scaled.layer(0).residPost()),
        "and not the sliding one");
  }

  /** The newer rope_parameters nested by layer type means exactly what the older keys mean. */
  @Test
  void gemma3RopeParametersPerLayerTypeEqualTheOlderKeys() {
    long[] ids = ids(13);
    Result older = ReferenceModel.load(TinyCheckpoints.gemma3(tmp.resolve("o")).seed(14).ropeLocalBaseFreq(500.0)
        .ropeScaling("{\"rope_type\":\"linear\",\"factor\":8.0}").write()).run(ids);
    Result newer = ReferenceModel.load(TinyCheckpoints.gemma3(tmp.resolve("n")).seed(14).configEdits(
        "{\"rope_scaling\":null,\"rope_theta\":null,\"rope_local_base_freq\":null,\"rope_parameters\":"
            + "{\"full_attention\":{\"rope_type\":\"linear\",\"factor\":8.0,\"rope_theta\":1000000.0},"
            + "\"sliding_attention\":{\"rope_type\":\"default\",\"rope_theta\":500.0}}}").write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(older.logits(), newer.logits()));
    Path missing = TinyCheckpoints.gemma3(tmp.resolve("m")).configEdits("{\"rope_scaling\":null,\"rope_parameters\":"
        + "{\"full_attention\":{\"rope_type\":\"default\",\"rope_theta\":10000.0}}}").write();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceModel.load(missing));
    assertTrue(e.getMessage().contains("sliding_attention"), e.getMessage());
  }

  /**
   * LongRoPE switches to the long factors when the sequence outgrows original_max_position_embeddings,
   * so a 7-token run differs from a 4-token run at positions 1..3 (position 0 does not turn, and both
   * scale it by the same gain sqrt(1 + ln 8 / ln 4)).
   */
  @Test
  void phi3LongRopeSwitchesFactorsWithLength() {
    Path dir = TinyCheckpoints.phi3(tmp.resolve("lr")).seed(15).partialRotaryFactor(0.5).longRope(4, 32).write();
    ReferenceModel m = ReferenceModel.load(dir);
    long[] ids = ids(16);
    Result seven = m.run(ids);
    Result four = m.run(java.util.Arrays.copyOf(ids, 4));
    assertEquals(0.0, RefAssert.maxDiff(four.logits()[0], seven.logits()[0]), 1e-13);
    assertTrue(RefAssert.maxDiff(RefAssert.rows(four.logits(), 1, 4), RefAssert.rows(seven.logits(), 1, 4)) > 1e-4);
    Rope rope = Rope.partial(new HfConfig(Weights.readJson(dir.resolve("config.json"))), 4);
    assertEquals(Math.sqrt(1 + Math.log(8) / Math.log(4)), rope.attentionFactor(), 1e-15);
    assertEquals(1.0 / (1 + 1.5), rope.invFreq(7)[1] / Math.pow(10000, -0.5), 1e-12);
    assertEquals(1.0 / (1 + 0.25), rope.invFreq(4)[1] / Math.pow(10000, -0.5), 1e-12);
  }

  /** Phi-3 is Llama with fused projections: splitting qkv_proj and gate_up_proj gives a Llama with the same output. */
  @Test
  void phi3EqualsLlamaWithSplitProjections() {
    Path phi = TinyCheckpoints.phi3(tmp.resolve("phi")).seed(17).write();
    Weights w = Weights.load(phi);
    List<CheckpointFiles.Stored> tensors = new ArrayList<>();
    copy(w, tensors, "model.embed_tokens.weight", "model.embed_tokens.weight", 0, VOCAB);
    for (int l = 0; l < 2; l++) {
      String p = "model.layers." + l + ".";
      copy(w, tensors, p + "self_attn.qkv_proj.weight", p + "self_attn.q_proj.weight", 0, 32);
      copy(w, tensors, p + "self_attn.qkv_proj.weight", p + "self_attn.k_proj.weight", 32, 16);
      copy(w, tensors, p + "self_attn.qkv_proj.weight", p + "self_attn.v_proj.weight", 48, 16);
      copy(w, tensors, p + "self_attn.o_proj.weight", p + "self_attn.o_proj.weight", 0, 32);
      copy(w, tensors, p + "mlp.gate_up_proj.weight", p + "mlp.gate_proj.weight", 0, 48);
      copy(w, tensors, p + "mlp.gate_up_proj.weight", p + "mlp.up_proj.weight", 48, 48);
      copy(w, tensors, p + "mlp.down_proj.weight", p + "mlp.down_proj.weight", 0, 32);
      copy(w, tensors, p + "input_layernorm.weight", p + "input_layernorm.weight", 0, 32);
      copy(w, tensors, p + "post_attention_layernorm.weight", p + "post_attention_layernorm.weight", 0, 32);
    }
    copy(w, tensors, "model.norm.weight", "model.norm.weight", 0, 32);
    copy(w, tensors, "lm_head.weight", "lm_head.weight", 0, VOCAB);
    Path llama = writeFolder(tmp.resolve("llama"), tensors, "{\"model_type\":\"llama\",\"hidden_size\":32,"
        + "\"intermediate_size\":48,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"num_hidden_layers\":2,"
        + "\"vocab_size\":64,\"max_position_embeddings\":128,\"rms_norm_eps\":1e-5,\"rope_theta\":10000.0,"
        + "\"hidden_act\":\"silu\",\"tie_word_embeddings\":false}");
    long[] ids = ids(18);
    Result a = ReferenceModel.load(phi).run(ids);
    Result b = ReferenceModel.load(llama).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(a.logits(), b.logits()));
    assertEquals(0.0, RefAssert.maxDiff(a.layer(1).preLinear(), b.layer(1).preLinear()));
  }

  /**
   * Gemma is Llama with gelu_pytorch_tanh, norm weights 1 + w, and embeddings scaled by sqrt(hidden)
   * that the head does not see: rewriting those gives a Llama with exactly the same output.
   */
  @Test
  void gemmaEqualsLlamaWithRewrittenWeights() {
    Path gemma = TinyCheckpoints.gemma(tmp.resolve("gemma")).seed(19).write();
    Weights w = Weights.load(gemma);
    List<CheckpointFiles.Stored> tensors = new ArrayList<>();
    for (String name : w.names()) {
      Weights.Tensor t = w.tensor(name);
      double[] v = t.data().clone();
      if (name.endsWith("norm.weight")) {
        v = RefMath.plusOne(v);
      }
      tensors.add(new CheckpointFiles.Stored(name, TensorDtype.F64, t.shape(), Dtypes.encode(TensorDtype.F64, v)));
    }
    Weights.Tensor table = w.tensor("model.embed_tokens.weight");
    tensors.add(new CheckpointFiles.Stored("lm_head.weight", TensorDtype.F64, table.shape(),
        Dtypes.encode(TensorDtype.F64, table.data())));
    Path llama = writeFolder(tmp.resolve("llama"), tensors, "{\"model_type\":\"llama\",\"hidden_size\":32,"
        + "\"intermediate_size\":48,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":16,"
        + "\"num_hidden_layers\":2,\"vocab_size\":64,\"max_position_embeddings\":128,\"rms_norm_eps\":1e-6,"
        + "\"rope_theta\":10000.0,\"hidden_act\":\"gelu_pytorch_tanh\",\"tie_word_embeddings\":false}");
    long[] ids = ids(20);
    Result g = ReferenceModel.load(gemma).run(ids);
    // the Llama reads unscaled embeddings, so scale its input the way Gemma does: through the table itself
    Path scaled = TinyCheckpoints.edit(llama, tmp.resolve("llama-scaled"))
        .tensor("model.embed_tokens.weight", times(Math.sqrt(32))).write();
    Result l = ReferenceModel.load(scaled).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(g.embeddings(), l.embeddings()));
    assertTrue(RefAssert.maxDiff(g.logits(), l.logits()) < 1e-13, "" + RefAssert.maxDiff(g.logits(), l.logits()));
    assertEquals(0.0, RefAssert.maxDiff(g.layer(0).post(), l.layer(0).post()), 1e-15);
  }

  /**
   * GPT-NeoX's fused output is laid out per head: exchanging heads 0 and 1 (their 3 * head_dim rows of
   * query_key_value and their columns of dense) leaves the model unchanged, which a [3, heads, head_dim]
   * reading would not.
   */
  @Test
  void gptNeoxQueryKeyValueIsHeadInterleaved() {
    Path src = write("gpt_neox", tmp.resolve("src"));
    int hd = 8;
    CheckpointEditor.TensorEdit swapRows = (shape, values) -> {
      double[] v = values.clone();
      int cols = shape.length == 2 ? (int) shape[1] : 1;
      for (int r = 0; r < 3 * hd; r++) {
        for (int c = 0; c < cols; c++) {
          v[r * cols + c] = values[(r + 3 * hd) * cols + c];
          v[(r + 3 * hd) * cols + c] = values[r * cols + c];
        }
      }
      return new CheckpointEditor.Replacement(shape, v);
    };
    CheckpointEditor.TensorEdit swapColumns = (shape, values) -> {
      double[] v = values.clone();
      int cols = (int) shape[1];
      for (int r = 0; r < shape[0]; r++) {
        for (int c = 0; c < hd; c++) {
          v[r * cols + c] = values[r * cols + c + hd];
          v[r * cols + c + hd] = values[r * cols + c];
        }
      }
      return new CheckpointEditor.Replacement(shape, v);
    };
    String a = "gpt_neox.layers.0.attention.";
    Path swapped = TinyCheckpoints.edit(src, tmp.resolve("swapped")).tensor(a + "query_key_value.weight", swapRows)
        .tensor(a + "query_key_value.bias", swapRows).tensor(a + "dense.weight", swapColumns).write();
    Path rowsOnly = TinyCheckpoints.edit(src, tmp.resolve("rows")).tensor(a + "query_key_value.weight", swapRows)
        .tensor(a + "query_key_value.bias", swapRows).write();
    long[] ids = ids(21);
    Result base = ReferenceModel.load(src).run(ids);
    assertTrue(RefAssert.maxDiff(base.logits(), ReferenceModel.load(swapped).run(ids).logits()) < 1e-12);
    assertTrue(RefAssert.maxDiff(base.logits(), ReferenceModel.load(rowsOnly).run(ids).logits()) > 1e-4);
  }

  /** GPT-NeoX's two residual layouts agree in the embeddings and nowhere after. */
  @Test
  void gptNeoxParallelAndSequentialResidualsDiffer() {
    ReferenceModel parallel = model("gpt_neox");
    ReferenceModel sequential = model("gpt_neox sequential");
    long[] ids = ids(22);
    Result p = parallel.run(ids);
    Result s = sequential.run(ids);
    assertEquals(0.0, RefAssert.maxDiff(p.embeddings(), s.embeddings()));
    assertTrue(RefAssert.maxDiff(p.layer(0).pre(), s.layer(0).pre()) > 1e-3, "the MLP reads x, or x + attn");
  }

  /** OPT reads position rows from 2 on: rows 0 and 1 are never used, row 2 is position 0's. */
  @Test
  void optPositionsStartAtRowTwo() {
    Path src = write("opt", tmp.resolve("src"));
    String name = "model.decoder.embed_positions.weight";
    long[] ids = ids(23);
    Result base = ReferenceModel.load(src).run(ids);
    Path unused = TinyCheckpoints.edit(src, tmp.resolve("u")).tensor(name, (shape, values) -> {
      double[] v = values.clone();
      java.util.Arrays.fill(v, 0, 2 * 32, 0.0);
      return new CheckpointEditor.Replacement(shape, v);
    }).write();
    assertEquals(0.0, RefAssert.maxDiff(base.logits(), ReferenceModel.load(unused).run(ids).logits()));
    Result first = ReferenceModel.load(TinyCheckpoints.edit(src, tmp.resolve("f")).zeroRow(name, 2).write()).run(ids);
    assertTrue(RefAssert.maxDiff(base.logits()[0], first.logits()[0]) > 1e-4);
    Result last = ReferenceModel.load(TinyCheckpoints.edit(src, tmp.resolve("l")).zeroRow(name, 8).write()).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(RefAssert.rows(base.logits(), 0, 6), RefAssert.rows(last.logits(), 0, 6)));
    assertTrue(RefAssert.maxDiff(base.logits()[6], last.logits()[6]) > 1e-4, "row 8 is position 6's");
  }

  /**
   * A key bias adds q . b_k to every score of a query, which softmax cancels: OPT's k_proj.bias moves
   * nothing but rounding, while its q_proj.bias does move the logits (weightMatters).
   */
  @Test
  void optKeyBiasCancelsInTheSoftmax() {
    Path src = write("opt", tmp.resolve("src"));
    Path dst = TinyCheckpoints.edit(src, tmp.resolve("k")).tensor("model.decoder.layers.1.self_attn.k_proj.bias",
        plus(0.5)).write();
    long[] ids = ids(25);
    double d = RefAssert.maxDiff(ReferenceModel.load(src).run(ids).logits(), ReferenceModel.load(dst).run(ids).logits());
    assertTrue(d < 1e-12, "" + d);
  }

  /** With word_embed_proj_dim 16 the last hidden state is project_out's output and the tied head reads it. */
  @Test
  void optProjectedLastHiddenStateFeedsTheTiedHead() {
    Path dir = write("opt post-LN projected", tmp.resolve("p"));
    double[][] table = Weights.load(dir).matrix("model.decoder.embed_tokens.weight", VOCAB, 16);
    Result r = ReferenceModel.load(dir).run(ids(24));
    assertEquals(16, r.lastHiddenState()[0].length);
    assertEquals(32, r.embeddings()[0].length);
    double dot = 0;
    for (int i = 0; i < 16; i++) {
      dot += r.lastHiddenState()[3][i] * table[9][i];
    }
    assertEquals(dot, r.logits()[3][9], 1e-12);
  }

  private static void copy(Weights w, List<CheckpointFiles.Stored> out, String from, String to, int firstRow, int rows) {
    Weights.Tensor t = w.tensor(from);
    int cols = t.shape().length == 2 ? (int) t.shape()[1] : 1;
    double[] v = java.util.Arrays.copyOfRange(t.data(), firstRow * cols, (firstRow + rows) * cols);
    long[] shape = t.shape().length == 2 ? new long[] {rows, cols} : new long[] {rows};
    out.add(new CheckpointFiles.Stored(to, TensorDtype.F64, shape, Dtypes.encode(TensorDtype.F64, v)));
  }

  private static Path writeFolder(Path dir, List<CheckpointFiles.Stored> tensors, String config) {
    CheckpointFiles.writeTensors(dir, Map.of(CheckpointFiles.SINGLE, tensors));
    JsonObject c = JsonParser.parseString(config).getAsJsonObject();
    CheckpointFiles.writeJson(dir.resolve(CheckpointFiles.CONFIG), c);
    return dir;
  }
}
