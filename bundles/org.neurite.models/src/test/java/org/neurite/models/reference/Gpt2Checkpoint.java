package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * A tiny GPT-2 checkpoint as {@code GPT2LMHeadModel.save_pretrained} writes it: names under
 * {@code transformer.}, Conv1D weights stored [in, out], the head tied to {@code wte} and not stored.
 * Defaults: 2 layers, n_embd 32, 4 heads, n_positions 64, vocab 101, n_inner null (4 * n_embd),
 * gelu_new, layer_norm_epsilon 1e-5.
 */
public final class Gpt2Checkpoint extends CheckpointBuilder<Gpt2Checkpoint> {
  private int layers = 2;
  private int embd = 32;
  private int heads = 4;
  private int positions = 64;
  private int vocab = 101;
  private Integer inner;
  private String activation = "gelu_new";
  private boolean inverseLayerScaling;
  private boolean prefixed = true;

  Gpt2Checkpoint(Path dir) {
    super(dir);
  }

  /** n_layer. */
  public Gpt2Checkpoint layers(int value) {
    this.layers = value;
    return this;
  }

  /** n_embd. */
  public Gpt2Checkpoint embd(int value) {
    this.embd = value;
    return this;
  }

  /** n_head. */
  public Gpt2Checkpoint heads(int value) {
    this.heads = value;
    return this;
  }

  /** n_positions. */
  public Gpt2Checkpoint positions(int value) {
    this.positions = value;
    return this;
  }

  /** vocab_size. */
  public Gpt2Checkpoint vocab(int value) {
    this.vocab = value;
    return this;
  }

  /** n_inner; null (the default) means 4 * n_embd. */
  public Gpt2Checkpoint inner(Integer value) {
    this.inner = value;
    return this;
  }

  /** activation_function (default gelu_new). */
  public Gpt2Checkpoint activation(String value) {
    this.activation = value;
    return this;
  }

  /** scale_attn_by_inverse_layer_idx (default false). */
  public Gpt2Checkpoint scaleAttnByInverseLayerIdx(boolean value) {
    this.inverseLayerScaling = value;
    return this;
  }

  /**
   * Whether names carry the {@code transformer.} prefix (default true); false gives the
   * {@code GPT2Model} layout of the original {@code gpt2} repository ({@code h.0.attn.c_attn.weight}).
   */
  public Gpt2Checkpoint prefixed(boolean value) {
    this.prefixed = value;
    return this;
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add("GPT2LMHeadModel");
    c.add("architectures", architectures);
    c.addProperty("model_type", "gpt2");
    c.addProperty("n_layer", layers);
    c.addProperty("n_embd", embd);
    c.addProperty("n_head", heads);
    c.addProperty("n_positions", positions);
    c.addProperty("n_ctx", positions);
    c.addProperty("vocab_size", vocab);
    if (inner == null) {
      c.add("n_inner", JsonNull.INSTANCE);
    } else {
      c.addProperty("n_inner", inner);
    }
    c.addProperty("activation_function", activation);
    c.addProperty("layer_norm_epsilon", 1e-5);
    c.addProperty("scale_attn_weights", true);
    c.addProperty("scale_attn_by_inverse_layer_idx", inverseLayerScaling);
    c.addProperty("reorder_and_upcast_attn", false);
    c.addProperty("tie_word_embeddings", true);
    c.addProperty("attn_pdrop", 0.1);
    c.addProperty("embd_pdrop", 0.1);
    c.addProperty("resid_pdrop", 0.1);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("bos_token_id", vocab - 1);
    c.addProperty("eos_token_id", vocab - 1);
    return c;
  }

  @Override
  protected void addTensors() {
    String p = prefixed ? "transformer." : "";
    int width = inner == null ? 4 * embd : inner;
    matrix(p + "wte.weight", vocab, embd);
    matrix(p + "wpe.weight", positions, embd);
    for (int l = 0; l < layers; l++) {
      String h = p + "h." + l + ".";
      normWeight(h + "ln_1.weight", embd);
      normBias(h + "ln_1.bias", embd);
      matrix(h + "attn.c_attn.weight", embd, 3 * embd);
      bias(h + "attn.c_attn.bias", 3 * embd);
      matrix(h + "attn.c_proj.weight", embd, embd);
      bias(h + "attn.c_proj.bias", embd);
      normWeight(h + "ln_2.weight", embd);
      normBias(h + "ln_2.bias", embd);
      matrix(h + "mlp.c_fc.weight", embd, width);
      bias(h + "mlp.c_fc.bias", width);
      matrix(h + "mlp.c_proj.weight", width, embd);
      bias(h + "mlp.c_proj.bias", embd);
    }
    normWeight(p + "ln_f.weight", embd);
    normBias(p + "ln_f.bias", embd);
  }
}
