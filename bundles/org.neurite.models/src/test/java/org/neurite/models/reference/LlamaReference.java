package org.neurite.models.reference;

import com.google.gson.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Llama, Mistral, Qwen2 and Qwen3 as {@code modeling_llama.py}, {@code modeling_mistral.py},
 * {@code modeling_qwen2.py} and {@code modeling_qwen3.py} compute them: token embeddings; per layer RMSNorm, q/k/v projections,
 * RoPE on q and k, grouped-query causal attention (scores * head_dim^-0.5), o_proj, residual;
 * RMSNorm, down(act(gate(x)) * up(x)), residual; final RMSNorm; lm_head or the tied embeddings.
 * Biases: Llama's attention_bias (q, k, v, o) and mlp_bias (gate, up, down); Qwen2 always q, k, v;
 * Mistral none; Qwen3 q, k, v and o with attention_bias. Qwen3 also RMS-normalizes each query and key
 * head (self_attn.q_norm / k_norm, weight [head_dim], eps rms_norm_eps) before RoPE, and its head_dim
 * defaults to 128 as Qwen3Config's does. Sliding window: Mistral every layer when sliding_window is set;
 * Qwen2 and Qwen3 the layers layer_types marks sliding_attention, or with use_sliding_window those from
 * max_window_layers on.
 */
final class LlamaReference implements FamilyForward {
  private record Block(double[] inNorm, double[] qNorm, double[] kNorm, double[][] q, double[] qb, double[][] k, double[] kb, double[][] v,
      double[] vb, double[][] o, double[] ob, double[] postNorm, double[][] gate, double[] gateB, double[][] up,
      double[] upB, double[][] down, double[] downB, Attention.Mask mask) {}

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
  private final double[][] embed;
  private final double[][] head;
  private final double[] norm;
  private final List<Block> blocks = new ArrayList<>();

  LlamaReference(HfConfig c, Weights w) {
    String type = c.string("model_type");
    layers = c.integer("num_hidden_layers");
    hidden = c.integer("hidden_size");
    heads = c.integer("num_attention_heads");
    kvHeads = c.integer("num_key_value_heads", heads);
    boolean qwen3 = type.equals("qwen3");
    headDim = c.integer("head_dim", qwen3 ? 128 : hidden / heads);
    intermediate = c.integer("intermediate_size");
    vocab = c.integer("vocab_size");
    eps = c.number("rms_norm_eps", 1e-6);
    act = Activations.byName(c.string("hidden_act", "silu"));
    rope = Rope.fromConfig(c, headDim);
    boolean llama = type.equals("llama");
    boolean qkvBias = type.equals("qwen2") || (llama || qwen3) && c.bool("attention_bias", false);
    boolean oBias = (llama || qwen3) && c.bool("attention_bias", false);
    boolean mlpBias = llama && c.bool("mlp_bias", false);
    String p = w.has("model.embed_tokens.weight") ? "model." : "";
    embed = w.matrix(p + "embed_tokens.weight", vocab, hidden);
    head = c.bool("tie_word_embeddings", false) ? embed : w.matrix("lm_head.weight", vocab, hidden);
    norm = w.vector(p + "norm.weight", hidden);
    int q = heads * headDim;
    int kv = kvHeads * headDim;
    for (int l = 0; l < layers; l++) {
      String b = p + "layers." + l + ".";
      String a = b + "self_attn.";
      String m = b + "mlp.";
      blocks.add(new Block(w.vector(b + "input_layernorm.weight", hidden),
          qwen3 ? w.vector(a + "q_norm.weight", headDim) : null, qwen3 ? w.vector(a + "k_norm.weight", headDim) : null,
          w.matrix(a + "q_proj.weight", q, hidden), bias(w, a + "q_proj.bias", q, qkvBias),
          w.matrix(a + "k_proj.weight", kv, hidden), bias(w, a + "k_proj.bias", kv, qkvBias),
          w.matrix(a + "v_proj.weight", kv, hidden), bias(w, a + "v_proj.bias", kv, qkvBias),
          w.matrix(a + "o_proj.weight", hidden, q), bias(w, a + "o_proj.bias", hidden, oBias),
          w.vector(b + "post_attention_layernorm.weight", hidden),
          w.matrix(m + "gate_proj.weight", intermediate, hidden), bias(w, m + "gate_proj.bias", intermediate, mlpBias),
          w.matrix(m + "up_proj.weight", intermediate, hidden), bias(w, m + "up_proj.bias", intermediate, mlpBias),
          w.matrix(m + "down_proj.weight", hidden, intermediate), bias(w, m + "down_proj.bias", hidden, mlpBias),
          mask(c, type, l)));
    }
  }

  /** A bias the architecture has (required) or lacks (null, even if a file stores one: HF ignores it). */
  private static double[] bias(Weights w, String name, int n, boolean present) {
    return present ? w.vector(name, n) : null;
  }

  private static Attention.Mask mask(HfConfig c, String type, int layer) {
    boolean sliding;
    if (type.equals("mistral")) {
      sliding = c.has("sliding_window");
    } else if (type.equals("qwen2") || type.equals("qwen3")) {
      JsonArray layerTypes = c.has("layer_types") ? c.json().getAsJsonArray("layer_types") : null;
      sliding = layerTypes != null ? layerTypes.get(layer).getAsString().equals("sliding_attention")
          : c.bool("use_sliding_window", false) && layer >= c.integer("max_window_layers", 28);
    } else {
      sliding = false;
    }
    return sliding ? Attention.Mask.slidingWindow(c.integer("sliding_window")) : Attention.Mask.causal();
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
      double[][] x = RefMath.rmsNorm(h, b.inNorm(), eps);
      double[][] q = RefMath.linear(x, b.q(), b.qb());
      double[][] k = RefMath.linear(x, b.k(), b.kb());
      double[][] v = RefMath.linear(x, b.v(), b.vb());
      if (b.qNorm() != null) {
        q = RefMath.rmsNormHeads(q, heads, headDim, b.qNorm(), eps);
        k = RefMath.rmsNormHeads(k, kvHeads, headDim, b.kNorm(), eps);
      }
      rope.rotate(q, heads);
      rope.rotate(k, kvHeads);
      double[][] a = Attention.attend(q, k, v, heads, kvHeads, headDim, 1.0 / Math.sqrt(headDim), b.mask());
      h = RefMath.add(h, RefMath.linear(a, b.o(), b.ob()));
      x = RefMath.rmsNorm(h, b.postNorm(), eps);
      double[][] gate = RefMath.linear(x, b.gate(), b.gateB());
      double[][] up = RefMath.linear(x, b.up(), b.upB());
      double[][] post = RefMath.multiply(RefMath.map(gate, act), up);
      override.apply(l, post);
      h = RefMath.add(h, RefMath.linear(post, b.down(), b.downB()));
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
