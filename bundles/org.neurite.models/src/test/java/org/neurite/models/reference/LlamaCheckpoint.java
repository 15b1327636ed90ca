package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;

/**
 * A tiny Llama, Mistral or Qwen2 checkpoint as {@code *ForCausalLM.save_pretrained} writes it: names
 * under {@code model.}, nn.Linear weights stored [out, in], {@code lm_head.weight} stored only when
 * untied. Defaults: 2 layers, hidden 32, 4 heads, 2 key/value heads, intermediate 48, vocab 101,
 * max_position_embeddings 128, rms_norm_eps 1e-6, rope_theta 10000, silu, no rope scaling, untied.
 * Mistral adds sliding_window 4; Qwen2 adds q/k/v biases and use_sliding_window false.
 */
public final class LlamaCheckpoint extends CheckpointBuilder<LlamaCheckpoint> {
  /** The family written. */
  public enum Flavor {
    LLAMA("llama", "LlamaForCausalLM"), MISTRAL("mistral", "MistralForCausalLM"), QWEN2("qwen2", "Qwen2ForCausalLM");

    final String modelType;
    final String architecture;

    Flavor(String modelType, String architecture) {
      this.modelType = modelType;
      this.architecture = architecture;
    }
  }

  private final Flavor flavor;
  private int layers = 2;
  private int hidden = 32;
  private int heads = 4;
  private int kvHeads = 2;
  private int intermediate = 48;
  private int vocab = 101;
  private int maxPositions = 128;
  private Integer headDim;
  private double ropeTheta = 10000.0;
  private String hiddenAct = "silu";
  private boolean attentionBias;
  private boolean mlpBias;
  private boolean tied;
  private JsonObject ropeScaling;
  private Integer slidingWindow = 4;
  private boolean useSlidingWindow;
  private int maxWindowLayers;

  LlamaCheckpoint(Path dir, Flavor flavor) {
    super(dir);
    this.flavor = flavor;
  }

  /** num_hidden_layers. */
  public LlamaCheckpoint layers(int value) {
    this.layers = value;
    return this;
  }

  /** hidden_size. */
  public LlamaCheckpoint hidden(int value) {
    this.hidden = value;
    return this;
  }

  /** num_attention_heads. */
  public LlamaCheckpoint heads(int value) {
    this.heads = value;
    return this;
  }

  /** num_key_value_heads. */
  public LlamaCheckpoint kvHeads(int value) {
    this.kvHeads = value;
    return this;
  }

  /** intermediate_size. */
  public LlamaCheckpoint intermediate(int value) {
    this.intermediate = value;
    return this;
  }

  /** vocab_size. */
  public LlamaCheckpoint vocab(int value) {
    this.vocab = value;
    return this;
  }

  /** max_position_embeddings. */
  public LlamaCheckpoint maxPositions(int value) {
    this.maxPositions = value;
    return this;
  }

  /** head_dim, written to config.json; null (default) means hidden / heads (written for Llama only). */
  public LlamaCheckpoint headDim(Integer value) {
    this.headDim = value;
    return this;
  }

  /** rope_theta. */
  public LlamaCheckpoint ropeTheta(double value) {
    this.ropeTheta = value;
    return this;
  }

  /** hidden_act (default silu). */
  public LlamaCheckpoint hiddenAct(String value) {
    this.hiddenAct = value;
    return this;
  }

  /** attention_bias: biases on q, k, v and o (Llama only). */
  public LlamaCheckpoint attentionBias(boolean value) {
    requireLlama("attention_bias");
    this.attentionBias = value;
    return this;
  }

  /** mlp_bias: biases on gate, up and down (Llama only). */
  public LlamaCheckpoint mlpBias(boolean value) {
    requireLlama("mlp_bias");
    this.mlpBias = value;
    return this;
  }

  /** tie_word_embeddings (default false; untied stores lm_head.weight). */
  public LlamaCheckpoint tied(boolean value) {
    this.tied = value;
    return this;
  }

  /** rope_scaling as JSON text, e.g. {@code {"rope_type":"linear","factor":2.0}}; null for none. */
  public LlamaCheckpoint ropeScaling(String json) {
    this.ropeScaling = json == null ? null : JsonParser.parseString(json).getAsJsonObject();
    return this;
  }

  /** sliding_window (Mistral and Qwen2; default 4); null for none. */
  public LlamaCheckpoint slidingWindow(Integer value) {
    if (flavor == Flavor.LLAMA) {
      throw new IllegalStateException("Llama has no sliding_window");
    }
    this.slidingWindow = value;
    return this;
  }

  /** Qwen2's use_sliding_window and max_window_layers (layers from that index on use the window). */
  public LlamaCheckpoint useSlidingWindow(boolean value, int fromLayer) {
    if (flavor != Flavor.QWEN2) {
      throw new IllegalStateException("use_sliding_window is Qwen2's");
    }
    this.useSlidingWindow = value;
    this.maxWindowLayers = fromLayer;
    return this;
  }

  private void requireLlama(String option) {
    if (flavor != Flavor.LLAMA) {
      throw new IllegalStateException(option + " is a Llama option; " + flavor.modelType + " fixes its biases");
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
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", maxPositions);
    c.addProperty("rms_norm_eps", 1e-6);
    c.addProperty("rope_theta", ropeTheta);
    c.add("rope_scaling", ropeScaling == null ? JsonNull.INSTANCE : ropeScaling.deepCopy());
    c.addProperty("hidden_act", hiddenAct);
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("tie_word_embeddings", tied);
    c.addProperty("use_cache", true);
    c.addProperty("bos_token_id", 1);
    c.addProperty("eos_token_id", 2);
    if (flavor == Flavor.LLAMA) {
      c.addProperty("attention_bias", attentionBias);
      c.addProperty("mlp_bias", mlpBias);
      c.addProperty("pretraining_tp", 1);
      c.addProperty("head_dim", headDim == null ? hidden / heads : headDim);
    } else if (headDim != null) {
      c.addProperty("head_dim", headDim);
    }
    if (flavor != Flavor.LLAMA) {
      if (slidingWindow == null) {
        c.add("sliding_window", JsonNull.INSTANCE);
      } else {
        c.addProperty("sliding_window", slidingWindow);
      }
    }
    if (flavor == Flavor.QWEN2) {
      c.addProperty("use_sliding_window", useSlidingWindow);
      c.addProperty("max_window_layers", maxWindowLayers);
    }
    return c;
  }

  @Override
  protected void addTensors() {
    int hd = headDim == null ? hidden / heads : headDim;
    boolean qkvBias = attentionBias || flavor == Flavor.QWEN2;
    matrix("model.embed_tokens.weight", vocab, hidden);
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      linear(p + "self_attn.q_proj", heads * hd, hidden, qkvBias);
      linear(p + "self_attn.k_proj", kvHeads * hd, hidden, qkvBias);
      linear(p + "self_attn.v_proj", kvHeads * hd, hidden, qkvBias);
      linear(p + "self_attn.o_proj", hidden, heads * hd, attentionBias);
      linear(p + "mlp.gate_proj", intermediate, hidden, mlpBias);
      linear(p + "mlp.up_proj", intermediate, hidden, mlpBias);
      linear(p + "mlp.down_proj", hidden, intermediate, mlpBias);
      normWeight(p + "input_layernorm.weight", hidden);
      normWeight(p + "post_attention_layernorm.weight", hidden);
    }
    normWeight("model.norm.weight", hidden);
    if (!tied) {
      matrix("lm_head.weight", vocab, hidden);
    }
  }

  private void linear(String name, int out, int in, boolean withBias) {
    matrix(name + ".weight", out, in);
    if (withBias) {
      bias(name + ".bias", out);
    }
  }
}
