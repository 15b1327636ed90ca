package org.neurite.models.reference;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Phi-3 as {@code modeling_phi3.py} computes it: the Llama computation with fused projections.
 * {@code self_attn.qkv_proj} yields queries (heads * head_dim), then keys and values (kv_heads *
 * head_dim each); {@code mlp.gate_up_proj} yields the gate (first intermediate_size outputs) and the
 * up projection (the rest), and the MLP is down(up * act(gate)). head_dim is head_dim when given, else
 * hidden / heads. RoPE turns the first int(head_dim * partial_rotary_factor) components of each head
 * (partial_rotary_factor default 1) and leaves the rest; rope_scaling may be longrope (or su), with
 * original_max_position_embeddings defaulting to 4096 as Phi3Config's does. sliding_window, when set,
 * applies to every layer. No biases; rms_norm_eps default 1e-5; untied unless tie_word_embeddings.
 */
final class Phi3Reference implements FamilyForward {
  private record Block(double[] inNorm, double[][] qkv, double[][] o, double[] postNorm, double[][] gateUp,
      double[][] down) {}

  private final int layers;
  private final int hidden;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final int intermediate;
  private final int vocab;
  private final double eps;
  private final DoubleUnaryOperator act;
  private final Rope rope;
  private final Attention.Mask mask;
  private final double[][] embed;
  private final double[][] head;
  private final double[] norm;
  private final List<Block> blocks = new ArrayList<>();

  Phi3Reference(HfConfig c, Weights w) {
    layers = c.integer("num_hidden_layers");
    hidden = c.integer("hidden_size");
    heads = c.integer("num_attention_heads");
    kvHeads = c.integer("num_key_value_heads", heads);
    headDim = c.integer("head_dim", hidden / heads);
    intermediate = c.integer("intermediate_size");
    vocab = c.integer("vocab_size");
    eps = c.number("rms_norm_eps", 1e-5);
    act = Activations.byName(c.string("hidden_act", "silu"));
    JsonObject ropeJson = c.json().deepCopy();
    if (!c.has("original_max_position_embeddings")) {
      ropeJson.addProperty("original_max_position_embeddings", 4096);
    }
    rope = Rope.partial(new HfConfig(ropeJson), (int) (headDim * c.number("partial_rotary_factor", 1.0)));
    mask = c.has("sliding_window") ? Attention.Mask.slidingWindow(c.integer("sliding_window")) : Attention.Mask.causal();
    embed = w.matrix("model.embed_tokens.weight", vocab, hidden);
    head = c.bool("tie_word_embeddings", false) ? embed : w.matrix("lm_head.weight", vocab, hidden);
    norm = w.vector("model.norm.weight", hidden);
    for (int l = 0; l < layers; l++) {
      String b = "model.layers." + l + ".";
      blocks.add(new Block(w.vector(b + "input_layernorm.weight", hidden),
          w.matrix(b + "self_attn.qkv_proj.weight", (heads + 2 * kvHeads) * headDim, hidden),
          w.matrix(b + "self_attn.o_proj.weight", hidden, heads * headDim),
          w.vector(b + "post_attention_layernorm.weight", hidden),
          w.matrix(b + "mlp.gate_up_proj.weight", 2 * intermediate, hidden),
          w.matrix(b + "mlp.down_proj.weight", hidden, intermediate)));
    }
  }

  @Override
  public Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override) {
    if (tokenTypes != null) {
      throw new IllegalArgumentException("decoders take no token types");
    }
    double[][] h = RefMath.gather(embed, ids, "token id");
    double[][] embeddings = RefMath.copy(h);
    int qWidth = heads * headDim;
    int kvWidth = kvHeads * headDim;
    List<Result.Layer> traces = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Block b = blocks.get(l);
      double[][] x = RefMath.rmsNorm(h, b.inNorm(), eps);
      double[][] qkv = RefMath.linear(x, b.qkv(), null);
      double[][] q = RefMath.columns(qkv, 0, qWidth);
      double[][] k = RefMath.columns(qkv, qWidth, kvWidth);
      double[][] v = RefMath.columns(qkv, qWidth + kvWidth, kvWidth);
      rope.rotate(q, heads, headDim);
      rope.rotate(k, kvHeads, headDim);
      double[][] a = Attention.attend(q, k, v, heads, kvHeads, headDim, 1.0 / Math.sqrt(headDim), mask);
      h = RefMath.add(h, RefMath.linear(a, b.o(), null));
      x = RefMath.rmsNorm(h, b.postNorm(), eps);
      double[][] gateUp = RefMath.linear(x, b.gateUp(), null);
      double[][] gate = RefMath.columns(gateUp, 0, intermediate);
      double[][] up = RefMath.columns(gateUp, intermediate, intermediate);
      double[][] post = RefMath.multiply(RefMath.map(gate, act), up);
      override.apply(l, post);
      h = RefMath.add(h, RefMath.linear(post, b.down(), null));
      traces.add(new Result.Layer(gate, up, post, RefMath.copy(h)));
    }
    double[][] last = RefMath.rmsNorm(h, norm, eps);
    return new Result(RefMath.linear(last, head, null), last, null, embeddings, traces);
  }

  @Override
  public Sizes sizes() {
    return new Sizes(layers, hidden, intermediate, vocab, true);
  }
}
