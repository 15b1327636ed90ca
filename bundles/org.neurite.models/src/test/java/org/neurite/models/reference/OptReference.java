package org.neurite.models.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * OPT as {@code modeling_opt.py} computes it: embed_tokens (width word_embed_proj_dim), project_in
 * to hidden_size when that width differs, plus the learned position embedding of row position + 2
 * (OPT's offset; positions are cumsum(attention_mask) - 1, which for one unpadded sequence is 0..T-1).
 * Per layer: attention (q, k, v, out_proj with biases when enable_bias, default true; scores *
 * head_dim^-0.5, causal) then fc2(act(fc1(.))) with activation_function (default relu), each as a
 * residual branch. With do_layer_norm_before (default true) self_attn_layer_norm and final_layer_norm
 * normalize each branch's input and the decoder's final_layer_norm the output; without it they
 * normalize each sum after the residual add and the decoder has no final norm. Then project_out back
 * to word_embed_proj_dim when it differs, so the last hidden state has that width, as HF's
 * last_hidden_state does; logits from lm_head, tied to embed_tokens unless tie_word_embeddings is false.
 */
final class OptReference implements FamilyForward {
  private record Block(double[][] q, double[] qb, double[][] k, double[] kb, double[][] v, double[] vb,
      double[][] o, double[] ob, double[] attnLnG, double[] attnLnB, double[][] fc1, double[] fc1b, double[][] fc2,
      double[] fc2b, double[] ffnLnG, double[] ffnLnB) {}

  private static final int OFFSET = 2;

  private final int layers;
  private final int hidden;
  private final int heads;
  private final int ffn;
  private final int vocab;
  private final int maxPositions;
  private final boolean normBefore;
  private final DoubleUnaryOperator act;
  private final double[][] embed;
  private final double[][] positions;
  private final double[][] projectIn;
  private final double[][] projectOut;
  private final double[] finalG;
  private final double[] finalB;
  private final double[][] head;
  private final List<Block> blocks = new ArrayList<>();

  OptReference(HfConfig c, Weights w) {
    layers = c.integer("num_hidden_layers");
    hidden = c.integer("hidden_size");
    heads = c.integer("num_attention_heads");
    ffn = c.integer("ffn_dim");
    vocab = c.integer("vocab_size");
    maxPositions = c.integer("max_position_embeddings");
    normBefore = c.bool("do_layer_norm_before", true);
    act = Activations.byName(c.string("activation_function", "relu"));
    int proj = c.integer("word_embed_proj_dim", hidden);
    boolean bias = c.bool("enable_bias", true);
    if (!c.bool("layer_norm_elementwise_affine", true)) {
      throw new IllegalArgumentException("layer_norm_elementwise_affine false is not supported by the OPT reference");
    }
    String d = "model.decoder.";
    embed = w.matrix(d + "embed_tokens.weight", vocab, proj);
    positions = w.matrix(d + "embed_positions.weight", maxPositions + OFFSET, hidden);
    projectIn = proj == hidden ? null : w.matrix(d + "project_in.weight", hidden, proj);
    projectOut = proj == hidden ? null : w.matrix(d + "project_out.weight", proj, hidden);
    boolean finalNorm = normBefore && !c.bool("_remove_final_layer_norm", false);
    finalG = finalNorm ? w.vector(d + "final_layer_norm.weight", hidden) : null;
    finalB = finalNorm ? w.vector(d + "final_layer_norm.bias", hidden) : null;
    head = c.bool("tie_word_embeddings", true) ? embed : w.matrix("lm_head.weight", vocab, proj);
    for (int l = 0; l < layers; l++) {
      String b = d + "layers." + l + ".";
      String a = b + "self_attn.";
      blocks.add(new Block(w.matrix(a + "q_proj.weight", hidden, hidden), bias(w, a + "q_proj.bias", bias),
          w.matrix(a + "k_proj.weight", hidden, hidden), bias(w, a + "k_proj.bias", bias),
          w.matrix(a + "v_proj.weight", hidden, hidden), bias(w, a + "v_proj.bias", bias),
          w.matrix(a + "out_proj.weight", hidden, hidden), bias(w, a + "out_proj.bias", bias),
          w.vector(b + "self_attn_layer_norm.weight", hidden), w.vector(b + "self_attn_layer_norm.bias", hidden),
          w.matrix(b + "fc1.weight", ffn, hidden), bias ? w.vector(b + "fc1.bias", ffn) : null,
          w.matrix(b + "fc2.weight", hidden, ffn), bias(w, b + "fc2.bias", bias),
          w.vector(b + "final_layer_norm.weight", hidden), w.vector(b + "final_layer_norm.bias", hidden)));
    }
  }

  private double[] bias(Weights w, String name, boolean present) {
    return present ? w.vector(name, hidden) : null;
  }

  @Override
  public Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override) {
    if (tokenTypes != null) {
      throw new IllegalArgumentException("decoders take no token types");
    }
    if (ids.length > maxPositions) {
      throw new IllegalArgumentException(ids.length + " tokens exceed max_position_embeddings " + maxPositions);
    }
    double[][] h = RefMath.gather(embed, ids, "token id");
    if (projectIn != null) {
      h = RefMath.linear(h, projectIn, null);
    }
    for (int t = 0; t < ids.length; t++) {
      for (int i = 0; i < hidden; i++) {
        h[t][i] += positions[t + OFFSET][i];
      }
    }
    double[][] embeddings = RefMath.copy(h);
    int headDim = hidden / heads;
    List<Result.Layer> traces = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Block b = blocks.get(l);
      double[][] x = normBefore ? RefMath.layerNorm(h, b.attnLnG(), b.attnLnB(), 1e-5) : h;
      double[][] q = RefMath.linear(x, b.q(), b.qb());
      double[][] k = RefMath.linear(x, b.k(), b.kb());
      double[][] v = RefMath.linear(x, b.v(), b.vb());
      double[][] a = Attention.attend(q, k, v, heads, heads, headDim, 1.0 / Math.sqrt(headDim), Attention.Mask.causal());
      h = RefMath.add(h, RefMath.linear(a, b.o(), b.ob()));
      if (!normBefore) {
        h = RefMath.layerNorm(h, b.attnLnG(), b.attnLnB(), 1e-5);
      }
      x = normBefore ? RefMath.layerNorm(h, b.ffnLnG(), b.ffnLnB(), 1e-5) : h;
      double[][] pre = RefMath.linear(x, b.fc1(), b.fc1b());
      double[][] post = RefMath.map(pre, act);
      override.apply(l, post);
      h = RefMath.add(h, RefMath.linear(post, b.fc2(), b.fc2b()));
      if (!normBefore) {
        h = RefMath.layerNorm(h, b.ffnLnG(), b.ffnLnB(), 1e-5);
      }
      traces.add(new Result.Layer(pre, null, post, RefMath.copy(h)));
    }
    double[][] last = finalG == null ? h : RefMath.layerNorm(h, finalG, finalB, 1e-5);
    if (projectOut != null) {
      last = RefMath.linear(last, projectOut, null);
    }
    return new Result(RefMath.linear(last, head, null), last, null, embeddings, traces);
  }

  @Override
  public Sizes sizes() {
    return new Sizes(layers, hidden, ffn, vocab, false);
  }
}
