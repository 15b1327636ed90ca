package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;

/**
 * A tiny Phi-3 checkpoint as {@code Phi3ForCausalLM.save_pretrained} writes it: names under
 * {@code model.}, the fused {@code self_attn.qkv_proj.weight} [(heads + 2 kv_heads) * head_dim, hidden]
 * (queries, then keys, then values) and {@code mlp.gate_up_proj.weight} [2 * intermediate, hidden]
 * (gate rows first, then up), no biases. Defaults: 2 layers, hidden 32, 4 heads, 2 key/value heads,
 * intermediate 48, vocab 64, max_position_embeddings 128 and original_max_position_embeddings 128,
 * rms_norm_eps 1e-5, rope_theta 10000, silu, no partial_rotary_factor, no rope_scaling, no sliding
 * window, untied.
 */
public final class Phi3Checkpoint extends CheckpointBuilder<Phi3Checkpoint> {
  private final int layers = 2;
  private final int hidden = 32;
  private final int heads = 4;
  private int kvHeads = 2;
  private final int intermediate = 48;
  private final int vocab = 64;
  private int maxPositions = 128;
  private int originalMaxPositions = 128;
  private Double partialRotaryFactor;
  private JsonObject ropeScaling;
  private boolean longRope;
  private Integer slidingWindow;
  private boolean tied;

  Phi3Checkpoint(Path dir) {
    super(dir);
  }

  /** num_key_value_heads. */
  public Phi3Checkpoint kvHeads(int value) {
    this.kvHeads = value;
    return this;
  }

  /** tie_word_embeddings (default false). */
  public Phi3Checkpoint tied(boolean value) {
    this.tied = value;
    return this;
  }

  /** partial_rotary_factor: the leading fraction of each head that rope turns; null writes none. */
  public Phi3Checkpoint partialRotaryFactor(Double value) {
    this.partialRotaryFactor = value;
    return this;
  }

  /** sliding_window, applied to every layer; null (default) for none. */
  public Phi3Checkpoint slidingWindow(Integer value) {
    this.slidingWindow = value;
    return this;
  }

  /** rope_scaling as JSON text; null for none. */
  public Phi3Checkpoint ropeScaling(String json) {
    this.ropeScaling = json == null ? null : JsonParser.parseString(json).getAsJsonObject();
    this.longRope = false;
    return this;
  }

  /**
   * LongRoPE as Phi-3 "128k" configs spell it: rope_scaling {@code {"type": "longrope", "short_factor":
   * [...], "long_factor": [...]}} with one factor per rotated pair (short 1 + 0.25 i, long 1 + 1.5 i),
   * max_position_embeddings {@code max} and original_max_position_embeddings {@code original}; a
   * sequence longer than {@code original} uses the long factors.
   */
  public Phi3Checkpoint longRope(int original, int max) {
    this.longRope = true;
    this.ropeScaling = null;
    this.originalMaxPositions = original;
    this.maxPositions = max;
    return this;
  }

  /** The number of rotated components per head, as HF computes it: int(head_dim * partial_rotary_factor). */
  private int rotaryDims() {
    int headDim = hidden / heads;
    return partialRotaryFactor == null ? headDim : (int) (headDim * partialRotaryFactor);
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add("Phi3ForCausalLM");
    c.add("architectures", architectures);
    c.addProperty("model_type", "phi3");
    c.addProperty("hidden_size", hidden);
    c.addProperty("intermediate_size", intermediate);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("num_key_value_heads", kvHeads);
    c.addProperty("num_hidden_layers", 2);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", maxPositions);
    c.addProperty("original_max_position_embeddings", originalMaxPositions);
    c.addProperty("rms_norm_eps", 1e-5);
    c.addProperty("rope_theta", 10000.0);
    if (longRope) {
      JsonObject scaling = new JsonObject();
      scaling.addProperty("type", "longrope");
      JsonArray shortFactor = new JsonArray();
      JsonArray longFactor = new JsonArray();
      for (int i = 0; i < rotaryDims() / 2; i++) {
        shortFactor.add(1.0 + 0.25 * i);
        longFactor.add(1.0 + 1.5 * i);
      }
      scaling.add("short_factor", shortFactor);
      scaling.add("long_factor", longFactor);
      c.add("rope_scaling", scaling);
    } else {
      c.add("rope_scaling", ropeScaling == null ? JsonNull.INSTANCE : ropeScaling.deepCopy());
    }
    if (partialRotaryFactor != null) {
      c.addProperty("partial_rotary_factor", partialRotaryFactor);
    }
    if (slidingWindow == null) {
      c.add("sliding_window", JsonNull.INSTANCE);
    } else {
      c.addProperty("sliding_window", slidingWindow);
    }
    c.addProperty("hidden_act", "silu");
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("embd_pdrop", 0.0);
    c.addProperty("resid_pdrop", 0.0);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("tie_word_embeddings", tied);
    c.addProperty("use_cache", true);
    c.addProperty("bos_token_id", 1);
    c.addProperty("eos_token_id", 2);
    c.addProperty("pad_token_id", 0);
    return c;
  }

  @Override
  protected void addTensors() {
    int headDim = hidden / heads;
    matrix("model.embed_tokens.weight", vocab, hidden);
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      matrix(p + "self_attn.o_proj.weight", hidden, heads * headDim);
      matrix(p + "self_attn.qkv_proj.weight", (heads + 2 * kvHeads) * headDim, hidden);
      matrix(p + "mlp.gate_up_proj.weight", 2 * intermediate, hidden);
      matrix(p + "mlp.down_proj.weight", hidden, intermediate);
      normWeight(p + "input_layernorm.weight", hidden);
      normWeight(p + "post_attention_layernorm.weight", hidden);
    }
    normWeight("model.norm.weight", hidden);
    if (!tied) {
      matrix("lm_head.weight", vocab, hidden);
    }
  }
}
