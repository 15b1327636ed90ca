package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;

/**
 * A tiny Qwen3 checkpoint as {@code Qwen3ForCausalLM.save_pretrained} writes it: the Llama layout
 * under {@code model.} plus per-layer {@code self_attn.q_norm.weight} and {@code self_attn.k_norm.weight}
 * [head_dim], with an explicit head_dim. Defaults: 2 layers, hidden 32, 4 heads, 2 key/value heads,
 * head_dim 16 (so heads * head_dim = 64, not hidden), intermediate 48, vocab 64,
 * max_position_embeddings 128, rms_norm_eps 1e-6, rope_theta 10000, silu, no biases, untied,
 * use_sliding_window false with sliding_window 3.
 */
public final class Qwen3Checkpoint extends CheckpointBuilder<Qwen3Checkpoint> {
  private int layers = 2;
  private int hidden = 32;
  private int heads = 4;
  private int kvHeads = 2;
  private int headDim = 16;
  private int intermediate = 48;
  private int vocab = 64;
  private boolean attentionBias;
  private boolean tied;
  private JsonObject ropeScaling;
  private int slidingWindow = 3;
  private boolean useSlidingWindow;
  private int maxWindowLayers;

  Qwen3Checkpoint(Path dir) {
    super(dir);
  }

  /** num_hidden_layers. */
  public Qwen3Checkpoint layers(int value) {
    this.layers = value;
    return this;
  }

  /** num_key_value_heads. */
  public Qwen3Checkpoint kvHeads(int value) {
    this.kvHeads = value;
    return this;
  }

  /** head_dim (default 16), the width of q_norm and k_norm. */
  public Qwen3Checkpoint headDim(int value) {
    this.headDim = value;
    return this;
  }

  /** attention_bias: biases on q, k, v and o. */
  public Qwen3Checkpoint attentionBias(boolean value) {
    this.attentionBias = value;
    return this;
  }

  /** tie_word_embeddings (default false; untied stores lm_head.weight). */
  public Qwen3Checkpoint tied(boolean value) {
    this.tied = value;
    return this;
  }

  /** rope_scaling as JSON text; null for none. */
  public Qwen3Checkpoint ropeScaling(String json) {
    this.ropeScaling = json == null ? null : JsonParser.parseString(json).getAsJsonObject();
    return this;
  }

  /** sliding_window (default 3), used only by the layers use_sliding_window selects. */
  public Qwen3Checkpoint slidingWindow(int value) {
    this.slidingWindow = value;
    return this;
  }

  /** use_sliding_window and max_window_layers (layers from that index on use the window). */
  public Qwen3Checkpoint useSlidingWindow(boolean value, int fromLayer) {
    this.useSlidingWindow = value;
    this.maxWindowLayers = fromLayer;
    return this;
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add("Qwen3ForCausalLM");
    c.add("architectures", architectures);
    c.addProperty("model_type", "qwen3");
    c.addProperty("hidden_size", hidden);
    c.addProperty("intermediate_size", intermediate);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("num_key_value_heads", kvHeads);
    c.addProperty("head_dim", headDim);
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", 128);
    c.addProperty("rms_norm_eps", 1e-6);
    c.addProperty("rope_theta", 10000.0);
    c.add("rope_scaling", ropeScaling == null ? JsonNull.INSTANCE : ropeScaling.deepCopy());
    c.addProperty("hidden_act", "silu");
    c.addProperty("attention_bias", attentionBias);
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("use_sliding_window", useSlidingWindow);
    c.addProperty("sliding_window", slidingWindow);
    c.addProperty("max_window_layers", maxWindowLayers);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("tie_word_embeddings", tied);
    c.addProperty("use_cache", true);
    c.addProperty("bos_token_id", 1);
    c.addProperty("eos_token_id", 2);
    return c;
  }

  @Override
  protected void addTensors() {
    matrix("model.embed_tokens.weight", vocab, hidden);
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      linear(p + "self_attn.q_proj", heads * headDim, hidden);
      linear(p + "self_attn.k_proj", kvHeads * headDim, hidden);
      linear(p + "self_attn.v_proj", kvHeads * headDim, hidden);
      linear(p + "self_attn.o_proj", hidden, heads * headDim);
      normWeight(p + "self_attn.q_norm.weight", headDim);
      normWeight(p + "self_attn.k_norm.weight", headDim);
      matrix(p + "mlp.gate_proj.weight", intermediate, hidden);
      matrix(p + "mlp.up_proj.weight", intermediate, hidden);
      matrix(p + "mlp.down_proj.weight", hidden, intermediate);
      normWeight(p + "input_layernorm.weight", hidden);
      normWeight(p + "post_attention_layernorm.weight", hidden);
    }
    normWeight("model.norm.weight", hidden);
    if (!tied) {
      matrix("lm_head.weight", vocab, hidden);
    }
  }

  private void linear(String name, int out, int in) {
    matrix(name + ".weight", out, in);
    if (attentionBias) {
      bias(name + ".bias", out);
    }
  }
}
