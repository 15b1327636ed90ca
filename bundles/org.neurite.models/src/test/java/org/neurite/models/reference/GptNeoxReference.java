package org.neurite.models.reference;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * GPT-NeoX (Pythia) as {@code modeling_gpt_neox.py} computes it: embed_in; per layer an attention
 * on input_layernorm(x) whose fused query_key_value output is viewed as [heads, 3, head_dim] (head h's
 * query, key and value are outputs h * 3 * head_dim + {0, 1, 2} * head_dim + d), RoPE on the first
 * int(head_dim * rotary_pct) components of each query and key head (rotary_pct, else
 * partial_rotary_factor, default 0.25; base rotary_emb_base, else rope_theta, default 10000), causal
 * softmax of scores * head_dim^-0.5, dense; an MLP dense_4h_to_h(act(dense_h_to_4h(.))) with
 * hidden_act (default gelu) on post_attention_layernorm. With use_parallel_residual (default true)
 * the block is x + attn(ln1(x)) + mlp(ln2(x)), else a = x + attn(ln1(x)) and a + mlp(ln2(a)).
 * LayerNorms with biases, eps layer_norm_eps (default 1e-5); final_layer_norm; embed_out, or embed_in
 * with tie_word_embeddings. q/k/v and dense biases with attention_bias (default true).
 */
final class GptNeoxReference implements FamilyForward {
  private record Block(double[] ln1g, double[] ln1b, double[] ln2g, double[] ln2b, double[][] qkv, double[] qkvB,
      double[][] dense, double[] denseB, double[][] up, double[] upB, double[][] down, double[] downB) {}

  private final int layers;
  private final int hidden;
  private final int heads;
  private final int headDim;
  private final int intermediate;
  private final int vocab;
  private final double eps;
  private final boolean parallel;
  private final DoubleUnaryOperator act;
  private final Rope rope;
  private final double[][] embed;
  private final double[][] head;
  private final double[] lnfG;
  private final double[] lnfB;
  private final List<Block> blocks = new ArrayList<>();

  GptNeoxReference(HfConfig c, Weights w) {
    layers = c.integer("num_hidden_layers");
    hidden = c.integer("hidden_size");
    heads = c.integer("num_attention_heads");
    headDim = hidden / heads;
    intermediate = c.integer("intermediate_size");
    vocab = c.integer("vocab_size");
    eps = c.number("layer_norm_eps", 1e-5);
    parallel = c.bool("use_parallel_residual", true);
    act = Activations.byName(c.string("hidden_act", "gelu"));
    JsonObject ropeJson = c.json().deepCopy();
    if (c.has("rotary_emb_base")) {
      ropeJson.addProperty("rope_theta", c.number("rotary_emb_base", 10000));
    }
    HfConfig ropeParameters = new HfConfig(c.object("rope_parameters") == null ? new JsonObject()
        : c.object("rope_parameters"));
    double pct = c.number("rotary_pct", c.number("partial_rotary_factor",
        ropeParameters.number("partial_rotary_factor", 0.25)));
    rope = Rope.partial(new HfConfig(ropeJson), (int) (headDim * pct));
    boolean attnBias = c.bool("attention_bias", true);
    String p = "gpt_neox.";
    embed = w.matrix(p + "embed_in.weight", vocab, hidden);
    head = c.bool("tie_word_embeddings", false) ? embed : w.matrix("embed_out.weight", vocab, hidden);
    lnfG = w.vector(p + "final_layer_norm.weight", hidden);
    lnfB = w.vector(p + "final_layer_norm.bias", hidden);
    for (int l = 0; l < layers; l++) {
      String b = p + "layers." + l + ".";
      blocks.add(new Block(w.vector(b + "input_layernorm.weight", hidden), w.vector(b + "input_layernorm.bias", hidden),
          w.vector(b + "post_attention_layernorm.weight", hidden), w.vector(b + "post_attention_layernorm.bias", hidden),
          w.matrix(b + "attention.query_key_value.weight", 3 * hidden, hidden),
          attnBias ? w.vector(b + "attention.query_key_value.bias", 3 * hidden) : null,
          w.matrix(b + "attention.dense.weight", hidden, hidden),
          attnBias ? w.vector(b + "attention.dense.bias", hidden) : null,
          w.matrix(b + "mlp.dense_h_to_4h.weight", intermediate, hidden), w.vector(b + "mlp.dense_h_to_4h.bias", intermediate),
          w.matrix(b + "mlp.dense_4h_to_h.weight", hidden, intermediate), w.vector(b + "mlp.dense_4h_to_h.bias", hidden)));
    }
  }

  /** Part {@code part} (0 query, 1 key, 2 value) of every head from the head-interleaved fused output. */
  private double[][] part(double[][] qkv, int part) {
    double[][] y = new double[qkv.length][heads * headDim];
    for (int t = 0; t < qkv.length; t++) {
      for (int h = 0; h < heads; h++) {
        System.arraycopy(qkv[t], (3 * h + part) * headDim, y[t], h * headDim, headDim);
      }
    }
    return y;
  }

  @Override
  public Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override) {
    if (tokenTypes != null) {
      throw new IllegalArgumentException("decoders take no token types");
    }
    double[][] h = RefMath.gather(embed, ids, "token id");
    double[][] embeddings = RefMath.copy(h);
    List<Result.Layer> traces = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Block b = blocks.get(l);
      double[][] qkv = RefMath.linear(RefMath.layerNorm(h, b.ln1g(), b.ln1b(), eps), b.qkv(), b.qkvB());
      double[][] q = part(qkv, 0);
      double[][] k = part(qkv, 1);
      double[][] v = part(qkv, 2);
      rope.rotate(q, heads, headDim);
      rope.rotate(k, heads, headDim);
      double[][] a = Attention.attend(q, k, v, heads, heads, headDim, 1.0 / Math.sqrt(headDim), Attention.Mask.causal());
      double[][] attn = RefMath.linear(a, b.dense(), b.denseB());
      double[][] mlpIn = parallel ? h : RefMath.add(h, attn);
      double[][] pre = RefMath.linear(RefMath.layerNorm(mlpIn, b.ln2g(), b.ln2b(), eps), b.up(), b.upB());
      double[][] post = RefMath.map(pre, act);
      override.apply(l, post);
      double[][] mlp = RefMath.linear(post, b.down(), b.downB());
      h = parallel ? RefMath.add(RefMath.add(mlp, attn), h) : RefMath.add(mlp, mlpIn);
      traces.add(new Result.Layer(pre, null, post, RefMath.copy(h)));
    }
    double[][] last = RefMath.layerNorm(h, lnfG, lnfB, eps);
    return new Result(RefMath.linear(last, head, null), last, null, embeddings, traces);
  }

  @Override
  public Sizes sizes() {
    return new Sizes(layers, hidden, intermediate, vocab, false);
  }
}
