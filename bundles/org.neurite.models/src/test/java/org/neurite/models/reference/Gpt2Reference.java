package org.neurite.models.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * GPT-2 as {@code modeling_gpt2.py} computes it: token plus learned position embeddings; pre-LN
 * blocks (ln_1, causal attention through Conv1D c_attn/c_proj with scores / sqrt(head_dim) and, with
 * scale_attn_by_inverse_layer_idx, / (layer + 1); ln_2, MLP c_fc, activation, c_proj); ln_f; logits
 * from the tied wte (or lm_head.weight when tie_word_embeddings is false).
 */
final class Gpt2Reference implements FamilyForward {
  private record Block(double[] ln1g, double[] ln1b, double[][] attnW, double[] attnB, double[][] projW,
      double[] projB, double[] ln2g, double[] ln2b, double[][] fcW, double[] fcB, double[][] outW, double[] outB) {}

  private final int layers;
  private final int embd;
  private final int heads;
  private final int positions;
  private final int vocab;
  private final int inner;
  private final double eps;
  private final boolean scaleWeights;
  private final boolean inverseLayer;
  private final DoubleUnaryOperator act;
  private final double[][] wte;
  private final double[][] wpe;
  private final double[][] head;
  private final double[] lnfG;
  private final double[] lnfB;
  private final List<Block> blocks = new ArrayList<>();

  Gpt2Reference(HfConfig c, Weights w) {
    layers = c.integer("n_layer");
    embd = c.integer("n_embd");
    heads = c.integer("n_head");
    positions = c.integer("n_positions");
    vocab = c.integer("vocab_size");
    inner = c.integer("n_inner", 4 * embd);
    eps = c.number("layer_norm_epsilon", 1e-5);
    scaleWeights = c.bool("scale_attn_weights", true);
    inverseLayer = c.bool("scale_attn_by_inverse_layer_idx", false);
    act = Activations.byName(c.string("activation_function", "gelu_new"));
    String p = w.has("transformer.wte.weight") ? "transformer." : "";
    wte = w.matrix(p + "wte.weight", vocab, embd);
    wpe = w.matrix(p + "wpe.weight", positions, embd);
    boolean tied = c.bool("tie_word_embeddings", true);
    head = tied ? wte : w.matrix("lm_head.weight", vocab, embd);
    lnfG = w.vector(p + "ln_f.weight", embd);
    lnfB = w.vector(p + "ln_f.bias", embd);
    for (int l = 0; l < layers; l++) {
      String h = p + "h." + l + ".";
      blocks.add(new Block(w.vector(h + "ln_1.weight", embd), w.vector(h + "ln_1.bias", embd),
          w.matrix(h + "attn.c_attn.weight", embd, 3 * embd), w.vector(h + "attn.c_attn.bias", 3 * embd),
          w.matrix(h + "attn.c_proj.weight", embd, embd), w.vector(h + "attn.c_proj.bias", embd),
          w.vector(h + "ln_2.weight", embd), w.vector(h + "ln_2.bias", embd),
          w.matrix(h + "mlp.c_fc.weight", embd, inner), w.vector(h + "mlp.c_fc.bias", inner),
          w.matrix(h + "mlp.c_proj.weight", inner, embd), w.vector(h + "mlp.c_proj.bias", embd)));
    }
  }

  @Override
  public Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override) {
    if (tokenTypes != null) {
      throw new IllegalArgumentException("GPT-2 takes no token types here");
    }
    if (ids.length > positions) {
      throw new IllegalArgumentException(ids.length + " tokens exceed n_positions " + positions);
    }
    double[][] h = RefMath.gather(wte, ids, "token id");
    for (int t = 0; t < ids.length; t++) {
      for (int i = 0; i < embd; i++) {
        h[t][i] += wpe[t][i];
      }
    }
    double[][] embeddings = RefMath.copy(h);
    int hd = embd / heads;
    List<Result.Layer> traces = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Block b = blocks.get(l);
      double[][] x = RefMath.layerNorm(h, b.ln1g(), b.ln1b(), eps);
      double[][] qkv = RefMath.conv1d(x, b.attnW(), b.attnB());
      double[][] q = slice(qkv, 0);
      double[][] k = slice(qkv, embd);
      double[][] v = slice(qkv, 2 * embd);
      double scale = (scaleWeights ? 1.0 / Math.sqrt(hd) : 1.0) / (inverseLayer ? l + 1.0 : 1.0);
      double[][] a = Attention.attend(q, k, v, heads, heads, hd, scale, Attention.Mask.causal());
      h = RefMath.add(h, RefMath.conv1d(a, b.projW(), b.projB()));
      x = RefMath.layerNorm(h, b.ln2g(), b.ln2b(), eps);
      double[][] pre = RefMath.conv1d(x, b.fcW(), b.fcB());
      double[][] post = RefMath.map(pre, act);
      override.apply(l, post);
      h = RefMath.add(h, RefMath.conv1d(post, b.outW(), b.outB()));
      traces.add(new Result.Layer(pre, null, post, RefMath.copy(h)));
    }
    double[][] last = RefMath.layerNorm(h, lnfG, lnfB, eps);
    return new Result(RefMath.linear(last, head, null), last, null, embeddings, traces);
  }

  private double[][] slice(double[][] qkv, int from) {
    double[][] y = new double[qkv.length][];
    for (int t = 0; t < qkv.length; t++) {
      y[t] = Arrays.copyOfRange(qkv[t], from, from + embd);
    }
    return y;
  }

  @Override
  public Sizes sizes() {
    return new Sizes(layers, embd, inner, vocab, false);
  }
}
