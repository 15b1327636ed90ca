package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;

/**
 * A tiny Gemma, Gemma 2 or Gemma 3 (text-only {@code Gemma3ForCausalLM}) checkpoint as
 * {@code save_pretrained} writes it: names under {@code model.}, nn.Linear weights [out, in], RMSNorm
 * weights stored as the offset w of the scale 1 + w (drawn around 0), the head tied by default.
 * Gemma 2 and 3 add {@code pre_feedforward_layernorm} and {@code post_feedforward_layernorm} per layer,
 * Gemma 3 {@code self_attn.q_norm} / {@code k_norm} [head_dim].
 *
 * <p>Defaults, all flavors: hidden 32, 4 heads, 2 key/value heads, head_dim 16 (independent of
 * hidden / heads), intermediate 48, vocab 64, max_position_embeddings 128, rms_norm_eps 1e-6,
 * gelu_pytorch_tanh, tied. Gemma: 2 layers, rope_theta 10000. Gemma 2: 3 layers, sliding_window 3,
 * attn_logit_softcapping 1.0, final_logit_softcapping 2.0, query_pre_attn_scalar 24, rope_theta 10000,
 * no layer_types (the even-layers-slide rule). Gemma 3: 3 layers, sliding_window 3,
 * sliding_window_pattern 2 (layers 0 and 2 slide), rope_theta 1000000, rope_local_base_freq 10000,
 * query_pre_attn_scalar 24, no softcaps, no rope_scaling.
 */
public final class GemmaCheckpoint extends CheckpointBuilder<GemmaCheckpoint> {
  /** The family written. */
  public enum Flavor {
    GEMMA("gemma", "GemmaForCausalLM"), GEMMA2("gemma2", "Gemma2ForCausalLM"),
    GEMMA3("gemma3_text", "Gemma3ForCausalLM");

    final String modelType;
    final String architecture;

    Flavor(String modelType, String architecture) {
      this.modelType = modelType;
      this.architecture = architecture;
    }
  }

  private final Flavor flavor;
  private int layers;
  private final int hidden = 32;
  private final int heads = 4;
  private int kvHeads = 2;
  private int headDim = 16;
  private final int intermediate = 48;
  private final int vocab = 64;
  private boolean tied = true;
  private int slidingWindow = 3;
  private Double attnSoftcap;
  private Double finalSoftcap;
  private double queryPreAttnScalar = 24;
  private JsonArray layerTypes;
  private int slidingWindowPattern = 2;
  private double ropeTheta;
  private double ropeLocalBaseFreq = 10000.0;
  private JsonObject ropeScaling;

  GemmaCheckpoint(Path dir, Flavor flavor) {
    super(dir);
    this.flavor = flavor;
    this.layers = flavor == Flavor.GEMMA ? 2 : 3;
    this.ropeTheta = flavor == Flavor.GEMMA3 ? 1_000_000.0 : 10000.0;
    if (flavor == Flavor.GEMMA2) {
      attnSoftcap = 1.0;
      finalSoftcap = 2.0;
    }
  }

  /** num_hidden_layers. */
  public GemmaCheckpoint layers(int value) {
    this.layers = value;
    return this;
  }

  /** num_key_value_heads. */
  public GemmaCheckpoint kvHeads(int value) {
    this.kvHeads = value;
    return this;
  }

  /** head_dim (default 16). */
  public GemmaCheckpoint headDim(int value) {
    this.headDim = value;
    return this;
  }

  /** tie_word_embeddings (default true; untied stores lm_head.weight). */
  public GemmaCheckpoint tied(boolean value) {
    this.tied = value;
    return this;
  }

  /** rope_theta (the global layers' base for Gemma 3). */
  public GemmaCheckpoint ropeTheta(double value) {
    this.ropeTheta = value;
    return this;
  }

  /** sliding_window (Gemma 2 and 3). */
  public GemmaCheckpoint slidingWindow(int value) {
    requireLater("sliding_window");
    this.slidingWindow = value;
    return this;
  }

  /** attn_logit_softcapping; null for none (Gemma 2 and 3). */
  public GemmaCheckpoint attnSoftcap(Double value) {
    requireLater("attn_logit_softcapping");
    this.attnSoftcap = value;
    return this;
  }

  /** final_logit_softcapping; null for none (Gemma 2 and 3). */
  public GemmaCheckpoint finalSoftcap(Double value) {
    requireLater("final_logit_softcapping");
    this.finalSoftcap = value;
    return this;
  }

  /** query_pre_attn_scalar: scores are scaled by its inverse square root (Gemma 2 and 3). */
  public GemmaCheckpoint queryPreAttnScalar(double value) {
    requireLater("query_pre_attn_scalar");
    this.queryPreAttnScalar = value;
    return this;
  }

  /**
   * layer_types, one "sliding_attention" or "full_attention" per layer (Gemma 2 and 3); null (the
   * default) writes none, leaving the older rule: Gemma 2's even layers slide, Gemma 3's
   * sliding_window_pattern.
   */
  public GemmaCheckpoint layerTypes(String... types) {
    requireLater("layer_types");
    if (types == null) {
      this.layerTypes = null;
      return this;
    }
    this.layerTypes = new JsonArray();
    for (String t : types) {
      this.layerTypes.add(t);
    }
    return this;
  }

  /** sliding_window_pattern: every pattern-th layer is global (Gemma 3; default 2). */
  public GemmaCheckpoint slidingWindowPattern(int value) {
    requireGemma3("sliding_window_pattern");
    this.slidingWindowPattern = value;
    return this;
  }

  /** rope_local_base_freq, the sliding layers' rope base (Gemma 3). */
  public GemmaCheckpoint ropeLocalBaseFreq(double value) {
    requireGemma3("rope_local_base_freq");
    this.ropeLocalBaseFreq = value;
    return this;
  }

  /** rope_scaling as JSON text (Gemma 3: the global layers' only); null for none. */
  public GemmaCheckpoint ropeScaling(String json) {
    this.ropeScaling = json == null ? null : JsonParser.parseString(json).getAsJsonObject();
    return this;
  }

  private void requireLater(String option) {
    if (flavor == Flavor.GEMMA) {
      throw new IllegalStateException(option + " is a Gemma 2 / Gemma 3 option");
    }
  }

  private void requireGemma3(String option) {
    if (flavor != Flavor.GEMMA3) {
      throw new IllegalStateException(option + " is a Gemma 3 option");
    }
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add(flavor.architecture);
    c.add("architectures", architectures);
    c.addProperty("model_type", flavor.modelType);
    c.addProperty("hidden_size", hidden);
    c.addProperty("intermediate_size", intermediate);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("num_key_value_heads", kvHeads);
    c.addProperty("head_dim", headDim);
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", 128);
    c.addProperty("rms_norm_eps", 1e-6);
    c.addProperty("rope_theta", ropeTheta);
    c.add("rope_scaling", ropeScaling == null ? JsonNull.INSTANCE : ropeScaling.deepCopy());
    if (flavor == Flavor.GEMMA) {
      c.addProperty("hidden_act", "gelu_pytorch_tanh");
    }
    c.addProperty("hidden_activation", "gelu_pytorch_tanh");
    c.addProperty("attention_bias", false);
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("tie_word_embeddings", tied);
    c.addProperty("use_cache", true);
    c.addProperty("pad_token_id", 0);
    c.addProperty("bos_token_id", 2);
    c.addProperty("eos_token_id", 1);
    if (flavor != Flavor.GEMMA) {
      c.addProperty("sliding_window", slidingWindow);
      c.addProperty("query_pre_attn_scalar", queryPreAttnScalar);
      addOptional(c, "attn_logit_softcapping", attnSoftcap);
      addOptional(c, "final_logit_softcapping", finalSoftcap);
      if (layerTypes != null) {
        c.add("layer_types", layerTypes.deepCopy());
      }
    }
    if (flavor == Flavor.GEMMA3) {
      c.addProperty("sliding_window_pattern", slidingWindowPattern);
      c.addProperty("rope_local_base_freq", ropeLocalBaseFreq);
    }
    return c;
  }

  private static void addOptional(JsonObject c, String key, Double value) {
    if (value == null) {
      c.add(key, JsonNull.INSTANCE);
    } else {
      c.addProperty(key, value);
    }
  }

  @Override
  protected void addTensors() {
    matrix("model.embed_tokens.weight", vocab, hidden);
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      matrix(p + "self_attn.q_proj.weight", heads * headDim, hidden);
      matrix(p + "self_attn.k_proj.weight", kvHeads * headDim, hidden);
      matrix(p + "self_attn.v_proj.weight", kvHeads * headDim, hidden);
      matrix(p + "self_attn.o_proj.weight", hidden, heads * headDim);
      if (flavor == Flavor.GEMMA3) {
        offsetNormWeight(p + "self_attn.q_norm.weight", headDim);
        offsetNormWeight(p + "self_attn.k_norm.weight", headDim);
      }
      matrix(p + "mlp.gate_proj.weight", intermediate, hidden);
      matrix(p + "mlp.up_proj.weight", intermediate, hidden);
      matrix(p + "mlp.down_proj.weight", hidden, intermediate);
      offsetNormWeight(p + "input_layernorm.weight", hidden);
      offsetNormWeight(p + "post_attention_layernorm.weight", hidden);
      if (flavor != Flavor.GEMMA) {
        offsetNormWeight(p + "pre_feedforward_layernorm.weight", hidden);
        offsetNormWeight(p + "post_feedforward_layernorm.weight", hidden);
      }
    }
    offsetNormWeight("model.norm.weight", hidden);
    if (!tied) {
      matrix("lm_head.weight", vocab, hidden);
    }
  }
}
