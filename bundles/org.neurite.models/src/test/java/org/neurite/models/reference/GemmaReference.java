package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Gemma, Gemma 2 and text-only Gemma 3 as {@code modeling_gemma.py}, {@code modeling_gemma2.py} and
 * {@code modeling_gemma3.py} ({@code Gemma3ForCausalLM}) compute them.
 *
 * <p>All three: token embeddings times sqrt(hidden_size) (in float64 here, which is what HF's
 * normalizer cast to the hidden dtype is when the model runs in float64); RMSNorms that scale by
 * 1 + w, w the stored weight; grouped-query causal attention with RoPE over the whole head_dim;
 * the MLP down(act(gate(x)) * up(x)) with hidden_activation (Gemma: hidden_activation, else
 * hidden_act, else gelu_pytorch_tanh); final norm; the head tied to the embeddings unless
 * tie_word_embeddings is false. Gemma scales scores by head_dim^-0.5.
 *
 * <p>Gemma 2 and 3: scores scaled by query_pre_attn_scalar^-0.5 and, with attn_logit_softcapping,
 * capped as cap * tanh(s / cap) before the mask; the attention output passes post_attention_layernorm
 * before the residual add, the MLP input pre_feedforward_layernorm and its output
 * post_feedforward_layernorm; logits capped by final_logit_softcapping when set. A layer slides
 * (window sliding_window) when layer_types says sliding_attention; without layer_types Gemma 2's even
 * layers slide and Gemma 3's layers with (layer + 1) % sliding_window_pattern != 0 (default 6).
 *
 * <p>Gemma 3 normalizes each query and key head by q_norm / k_norm (1 + w, width head_dim) before
 * RoPE. Its global layers use rope_theta with rope_scaling; its sliding layers the plain rope with
 * rope_local_base_freq (default 10000). With the newer rope_parameters nested by layer type
 * ({"full_attention": {...}, "sliding_attention": {...}}) each layer type uses its own entry.
 */
final class GemmaReference implements FamilyForward {
  private record Block(double[] inNorm, double[] qNorm, double[] kNorm, double[][] q, double[][] k, double[][] v,
      double[][] o, double[] postAttnNorm, double[] preFfNorm, double[] postFfNorm, double[][] gate,
      double[][] up, double[][] down, boolean sliding) {}

  private final boolean later;
  private final int layers;
  private final int hidden;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final int intermediate;
  private final int vocab;
  private final double eps;
  private final double scale;
  private final double attnSoftcap;
  private final double finalSoftcap;
  private final int window;
  private final DoubleUnaryOperator act;
  private final Rope globalRope;
  private final Rope localRope;
  private final double[][] embed;
  private final double[][] head;
  private final double[] norm;
  private final List<Block> blocks = new ArrayList<>();

  GemmaReference(HfConfig c, Weights w) {
    String type = c.string("model_type");
    boolean gemma3 = type.equals("gemma3_text");
    later = !type.equals("gemma");
    layers = c.integer("num_hidden_layers");
    hidden = c.integer("hidden_size");
    heads = c.integer("num_attention_heads");
    kvHeads = c.integer("num_key_value_heads", heads);
    headDim = c.integer("head_dim", 256);
    intermediate = c.integer("intermediate_size");
    vocab = c.integer("vocab_size");
    eps = c.number("rms_norm_eps", 1e-6);
    String activation = later ? c.string("hidden_activation", "gelu_pytorch_tanh")
        : c.string("hidden_activation", c.string("hidden_act", "gelu_pytorch_tanh"));
    act = Activations.byName(activation);
    scale = later ? 1.0 / Math.sqrt(c.number("query_pre_attn_scalar", 256)) : 1.0 / Math.sqrt(headDim);
    attnSoftcap = later ? c.number("attn_logit_softcapping", 0.0) : 0.0;
    finalSoftcap = later ? c.number("final_logit_softcapping", 0.0) : 0.0;
    window = later ? c.integer("sliding_window", 4096) : 0;
    globalRope = Rope.fromConfig(gemma3 ? ropeConfig(c, "full_attention") : c, headDim);
    localRope = gemma3 ? Rope.fromConfig(ropeConfig(c, "sliding_attention"), headDim) : globalRope;
    embed = w.matrix("model.embed_tokens.weight", vocab, hidden);
    head = c.bool("tie_word_embeddings", true) ? embed : w.matrix("lm_head.weight", vocab, hidden);
    norm = RefMath.plusOne(w.vector("model.norm.weight", hidden));
    int q = heads * headDim;
    int kv = kvHeads * headDim;
    JsonArray layerTypes = c.has("layer_types") ? c.json().getAsJsonArray("layer_types") : null;
    for (int l = 0; l < layers; l++) {
      String b = "model.layers." + l + ".";
      String a = b + "self_attn.";
      String m = b + "mlp.";
      boolean sliding;
      if (!later) {
        sliding = false;
      } else if (layerTypes != null) {
        sliding = layerTypes.get(l).getAsString().equals("sliding_attention");
      } else if (gemma3) {
        sliding = (l + 1) % c.integer("sliding_window_pattern", 6) != 0;
      } else {
        sliding = l % 2 == 0;
      }
      blocks.add(new Block(norm(w, b + "input_layernorm.weight", hidden),
          gemma3 ? norm(w, a + "q_norm.weight", headDim) : null, gemma3 ? norm(w, a + "k_norm.weight", headDim) : null,
          w.matrix(a + "q_proj.weight", q, hidden), w.matrix(a + "k_proj.weight", kv, hidden),
          w.matrix(a + "v_proj.weight", kv, hidden), w.matrix(a + "o_proj.weight", hidden, q),
          norm(w, b + "post_attention_layernorm.weight", hidden),
          later ? norm(w, b + "pre_feedforward_layernorm.weight", hidden) : null,
          later ? norm(w, b + "post_feedforward_layernorm.weight", hidden) : null,
          w.matrix(m + "gate_proj.weight", intermediate, hidden), w.matrix(m + "up_proj.weight", intermediate, hidden),
          w.matrix(m + "down_proj.weight", hidden, intermediate), sliding));
    }
  }

  /** The scale 1 + w of a Gemma RMSNorm. */
  private static double[] norm(Weights w, String name, int n) {
    return RefMath.plusOne(w.vector(name, n));
  }

  /**
   * A config holding only what Gemma 3's rope of one layer type reads: max_position_embeddings and
   * either that type's rope_parameters entry, or (older spelling) rope_theta with rope_scaling for
   * full attention and rope_local_base_freq with the plain rope for sliding attention.
   */
  private static HfConfig ropeConfig(HfConfig c, String layerType) {
    JsonObject r = new JsonObject();
    r.addProperty("max_position_embeddings", c.integer("max_position_embeddings"));
    JsonObject parameters = c.object("rope_parameters");
    if (parameters != null && parameters.has(layerType)) {
      r.add("rope_parameters", parameters.getAsJsonObject(layerType).deepCopy());
      return new HfConfig(r);
    }
    if (parameters != null && !c.has("rope_scaling")) {
      throw new IllegalArgumentException("rope_parameters has no entry for " + layerType + ": " + parameters);
    }
    if (layerType.equals("full_attention")) {
      r.addProperty("rope_theta", c.number("rope_theta", 1_000_000.0));
      if (c.has("rope_scaling")) {
        r.add("rope_scaling", c.object("rope_scaling").deepCopy());
      }
    } else {
      r.addProperty("rope_theta", c.number("rope_local_base_freq", 10000.0));
    }
    return new HfConfig(r);
  }

  @Override
  public Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override) {
    if (tokenTypes != null) {
      throw new IllegalArgumentException("decoders take no token types");
    }
    double[][] h = RefMath.scale(RefMath.gather(embed, ids, "token id"), Math.sqrt(hidden));
    double[][] embeddings = RefMath.copy(h);
    List<Result.Layer> traces = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Block b = blocks.get(l);
      double[][] x = RefMath.rmsNorm(h, b.inNorm(), eps);
      double[][] q = RefMath.linear(x, b.q(), null);
      double[][] k = RefMath.linear(x, b.k(), null);
      double[][] v = RefMath.linear(x, b.v(), null);
      if (b.qNorm() != null) {
        q = RefMath.rmsNormHeads(q, heads, headDim, b.qNorm(), eps);
        k = RefMath.rmsNormHeads(k, kvHeads, headDim, b.kNorm(), eps);
      }
      Rope rope = b.sliding() ? localRope : globalRope;
      rope.rotate(q, heads);
      rope.rotate(k, kvHeads);
      Attention.Mask mask = b.sliding() ? Attention.Mask.slidingWindow(window) : Attention.Mask.causal();
      double[][] a = RefMath.linear(Attention.attend(q, k, v, heads, kvHeads, headDim, scale, attnSoftcap, mask),
          b.o(), null);
      if (later) {
        a = RefMath.rmsNorm(a, b.postAttnNorm(), eps);
      }
      h = RefMath.add(h, a);
      x = RefMath.rmsNorm(h, later ? b.preFfNorm() : b.postAttnNorm(), eps);
      double[][] gate = RefMath.linear(x, b.gate(), null);
      double[][] up = RefMath.linear(x, b.up(), null);
      double[][] post = RefMath.multiply(RefMath.map(gate, act), up);
      override.apply(l, post);
      double[][] out = RefMath.linear(post, b.down(), null);
      if (later) {
        out = RefMath.rmsNorm(out, b.postFfNorm(), eps);
      }
      h = RefMath.add(h, out);
      traces.add(new Result.Layer(gate, up, post, RefMath.copy(h)));
    }
    double[][] last = RefMath.rmsNorm(h, norm, eps);
    double[][] logits = RefMath.linear(last, head, null);
    if (finalSoftcap != 0.0) {
      logits = RefMath.softcap(logits, finalSoftcap);
    }
    return new Result(logits, last, null, embeddings, traces);
  }

  @Override
  public Sizes sizes() {
    return new Sizes(layers, hidden, intermediate, vocab, true);
  }
}
