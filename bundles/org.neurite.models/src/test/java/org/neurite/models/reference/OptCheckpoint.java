package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * A tiny OPT checkpoint as {@code OPTForCausalLM.save_pretrained} writes it: names under
 * {@code model.decoder.}, {@code embed_tokens} [vocab, word_embed_proj_dim], the learned
 * {@code embed_positions} [max_position_embeddings + 2, hidden] (OPT's offset of 2), when
 * word_embed_proj_dim differs from hidden the bias-free {@code project_out} [proj, hidden] and
 * {@code project_in} [hidden, proj], the decoder's {@code final_layer_norm} only with
 * do_layer_norm_before, per layer {@code self_attn.k_proj/v_proj/q_proj/out_proj},
 * {@code self_attn_layer_norm}, {@code fc1}, {@code fc2}, {@code final_layer_norm}, all with biases;
 * the head tied to embed_tokens and not stored. Defaults: 2 layers, hidden 32, 4 heads, ffn_dim 64,
 * vocab 64, max_position_embeddings 64, word_embed_proj_dim 32, do_layer_norm_before true, relu.
 */
public final class OptCheckpoint extends CheckpointBuilder<OptCheckpoint> {
  private final int layers = 2;
  private final int hidden = 32;
  private final int heads = 4;
  private final int ffn = 64;
  private final int vocab = 64;
  private int maxPositions = 64;
  private int projDim = 32;
  private boolean layerNormBefore = true;
  private boolean tied = true;
  private String activation = "relu";

  OptCheckpoint(Path dir) {
    super(dir);
  }

  /** do_layer_norm_before (default true); false is OPT-350m's post-LN layout without a final norm. */
  /** max_position_embeddings (the table has two rows more). */
  public OptCheckpoint maxPositions(int value) {
    maxPositions = value;
    return this;
  }

  public OptCheckpoint layerNormBefore(boolean value) {
    this.layerNormBefore = value;
    return this;
  }

  /** word_embed_proj_dim (default hidden, 32); another value adds project_in and project_out. */
  public OptCheckpoint wordEmbedProjDim(int value) {
    this.projDim = value;
    return this;
  }

  /** tie_word_embeddings (default true; untied stores lm_head.weight [vocab, word_embed_proj_dim]). */
  public OptCheckpoint tied(boolean value) {
    this.tied = value;
    return this;
  }

  /** activation_function (default relu). */
  public OptCheckpoint activation(String value) {
    this.activation = value;
    return this;
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add("OPTForCausalLM");
    c.add("architectures", architectures);
    c.addProperty("model_type", "opt");
    c.addProperty("hidden_size", hidden);
    c.addProperty("ffn_dim", ffn);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", maxPositions);
    c.addProperty("word_embed_proj_dim", projDim);
    c.addProperty("do_layer_norm_before", layerNormBefore);
    c.addProperty("_remove_final_layer_norm", false);
    c.addProperty("activation_function", activation);
    c.addProperty("enable_bias", true);
    c.addProperty("layer_norm_elementwise_affine", true);
    c.addProperty("dropout", 0.1);
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("layerdrop", 0.0);
    c.addProperty("init_std", 0.02);
    c.addProperty("tie_word_embeddings", tied);
    c.addProperty("use_cache", true);
    c.addProperty("pad_token_id", 1);
    c.addProperty("bos_token_id", 2);
    c.addProperty("eos_token_id", 2);
    return c;
  }

  @Override
  protected void addTensors() {
    String d = "model.decoder.";
    matrix(d + "embed_tokens.weight", vocab, projDim);
    matrix(d + "embed_positions.weight", maxPositions + 2, hidden);
    if (projDim != hidden) {
      matrix(d + "project_out.weight", projDim, hidden);
      matrix(d + "project_in.weight", hidden, projDim);
    }
    if (layerNormBefore) {
      normWeight(d + "final_layer_norm.weight", hidden);
      normBias(d + "final_layer_norm.bias", hidden);
    }
    for (int l = 0; l < layers; l++) {
      String p = d + "layers." + l + ".";
      for (String proj : new String[] {"k_proj", "v_proj", "q_proj", "out_proj"}) {
        matrix(p + "self_attn." + proj + ".weight", hidden, hidden);
        bias(p + "self_attn." + proj + ".bias", hidden);
      }
      normWeight(p + "self_attn_layer_norm.weight", hidden);
      normBias(p + "self_attn_layer_norm.bias", hidden);
      matrix(p + "fc1.weight", ffn, hidden);
      bias(p + "fc1.bias", ffn);
      matrix(p + "fc2.weight", hidden, ffn);
      bias(p + "fc2.bias", hidden);
      normWeight(p + "final_layer_norm.weight", hidden);
      normBias(p + "final_layer_norm.bias", hidden);
    }
    if (!tied) {
      matrix("lm_head.weight", vocab, projDim);
    }
  }
}
