package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * A tiny GPT-NeoX (Pythia) checkpoint as {@code GPTNeoXForCausalLM.save_pretrained} writes it: names
 * under {@code gpt_neox.}, LayerNorms with biases, {@code attention.query_key_value} [3 * hidden, hidden]
 * whose output rows are head-interleaved (row h * 3 * head_dim + j * head_dim + d holds query, key or
 * value j of head h), {@code attention.dense}, {@code mlp.dense_h_to_4h} / {@code dense_4h_to_h}, all
 * with biases, {@code gpt_neox.final_layer_norm}, and the untied {@code embed_out.weight}. Defaults:
 * 2 layers, hidden 32, 4 heads, intermediate 64, vocab 64, max_position_embeddings 128, rotary_pct 0.5
 * (4 of 8 components per head turn), rotary_emb_base 10000, gelu, layer_norm_eps 1e-5,
 * use_parallel_residual true, attention_bias true, untied.
 */
public final class GptNeoxCheckpoint extends CheckpointBuilder<GptNeoxCheckpoint> {
  private final int layers = 2;
  private final int hidden = 32;
  private final int heads = 4;
  private final int intermediate = 64;
  private final int vocab = 64;
  private double rotaryPct = 0.5;
  private boolean parallelResidual = true;
  private boolean attentionBias = true;
  private boolean tied;
  private String hiddenAct = "gelu";

  GptNeoxCheckpoint(Path dir) {
    super(dir);
  }

  /** rotary_pct: the leading fraction of each head that rope turns (default 0.5). */
  public GptNeoxCheckpoint rotaryPct(double value) {
    this.rotaryPct = value;
    return this;
  }

  /** use_parallel_residual (default true): x + attn(ln1(x)) + mlp(ln2(x)) instead of sequential blocks. */
  public GptNeoxCheckpoint parallelResidual(boolean value) {
    this.parallelResidual = value;
    return this;
  }

  /** attention_bias: biases on query_key_value and dense (default true). */
  public GptNeoxCheckpoint attentionBias(boolean value) {
    this.attentionBias = value;
    return this;
  }

  /** tie_word_embeddings (default false; tied stores no embed_out.weight). */
  public GptNeoxCheckpoint tied(boolean value) {
    this.tied = value;
    return this;
  }

  /** hidden_act (default gelu). */
  public GptNeoxCheckpoint hiddenAct(String value) {
    this.hiddenAct = value;
    return this;
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add("GPTNeoXForCausalLM");
    c.add("architectures", architectures);
    c.addProperty("model_type", "gpt_neox");
    c.addProperty("hidden_size", hidden);
    c.addProperty("intermediate_size", intermediate);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", 128);
    c.addProperty("rotary_pct", rotaryPct);
    c.addProperty("rotary_emb_base", 10000);
    c.addProperty("hidden_act", hiddenAct);
    c.addProperty("layer_norm_eps", 1e-5);
    c.addProperty("use_parallel_residual", parallelResidual);
    c.addProperty("attention_bias", attentionBias);
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("hidden_dropout", 0.0);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("tie_word_embeddings", tied);
    c.addProperty("use_cache", true);
    c.addProperty("bos_token_id", 0);
    c.addProperty("eos_token_id", 0);
    return c;
  }

  @Override
  protected void addTensors() {
    matrix("gpt_neox.embed_in.weight", vocab, hidden);
    for (int l = 0; l < layers; l++) {
      String p = "gpt_neox.layers." + l + ".";
      normWeight(p + "input_layernorm.weight", hidden);
      normBias(p + "input_layernorm.bias", hidden);
      normWeight(p + "post_attention_layernorm.weight", hidden);
      normBias(p + "post_attention_layernorm.bias", hidden);
      matrix(p + "attention.query_key_value.weight", 3 * hidden, hidden);
      if (attentionBias) {
        bias(p + "attention.query_key_value.bias", 3 * hidden);
      }
      matrix(p + "attention.dense.weight", hidden, hidden);
      if (attentionBias) {
        bias(p + "attention.dense.bias", hidden);
      }
      matrix(p + "mlp.dense_h_to_4h.weight", intermediate, hidden);
      bias(p + "mlp.dense_h_to_4h.bias", intermediate);
      matrix(p + "mlp.dense_4h_to_h.weight", hidden, intermediate);
      bias(p + "mlp.dense_4h_to_h.bias", hidden);
    }
    normWeight("gpt_neox.final_layer_norm.weight", hidden);
    normBias("gpt_neox.final_layer_norm.bias", hidden);
    if (!tied) {
      matrix("embed_out.weight", vocab, hidden);
    }
  }
}
