package org.neurite.models.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * BERT as {@code modeling_bert.py} computes it: LayerNorm(word + token type + absolute position
 * embeddings); post-LN layers (bidirectional attention, scores / sqrt(head_dim); LayerNorm(dense(a) + h);
 * intermediate dense and activation; LayerNorm(dense(act) + attention output)); the pooler
 * tanh(dense(h[0])) when stored; the MLM head LayerNorm(act(dense(h))) times the word embeddings
 * (tied decoder) plus cls.predictions.bias when stored. Names with or without {@code bert.}, and the
 * old LayerNorm.gamma/beta names, are read.
 */
final class BertReference implements FamilyForward {
  private record Norm(double[] g, double[] b) {}

  private record Dense(double[][] w, double[] b) {}

  private record Block(Dense q, Dense k, Dense v, Dense attnOut, Norm attnNorm, Dense inter, Dense out, Norm outNorm) {}

  private final int layers;
  private final int hidden;
  private final int heads;
  private final int intermediate;
  private final int vocab;
  private final int positions;
  private final int typeVocab;
  private final double eps;
  private final DoubleUnaryOperator act;
  private final double[][] word;
  private final double[][] position;
  private final double[][] tokenType;
  private final Norm embNorm;
  private final List<Block> blocks = new ArrayList<>();
  private final Dense pooler;
  private final Dense transform;
  private final Norm transformNorm;
  private final double[][] decoder;
  private final double[] decoderBias;

  BertReference(HfConfig c, Weights w) {
    String type = c.string("position_embedding_type", "absolute");
    if (!type.equals("absolute")) {
      throw new IllegalArgumentException("position_embedding_type " + type + " is not supported by the reference");
    }
    layers = c.integer("num_hidden_layers");
    hidden = c.integer("hidden_size");
    heads = c.integer("num_attention_heads");
    intermediate = c.integer("intermediate_size");
    vocab = c.integer("vocab_size");
    positions = c.integer("max_position_embeddings");
    typeVocab = c.integer("type_vocab_size", 2);
    eps = c.number("layer_norm_eps", 1e-12);
    act = Activations.byName(c.string("hidden_act", "gelu"));
    String p = w.has("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    String e = p + "embeddings.";
    word = w.matrix(e + "word_embeddings.weight", vocab, hidden);
    position = w.matrix(e + "position_embeddings.weight", positions, hidden);
    tokenType = w.matrix(e + "token_type_embeddings.weight", typeVocab, hidden);
    embNorm = norm(w, e + "LayerNorm");
    for (int l = 0; l < layers; l++) {
      String b = p + "encoder.layer." + l + ".";
      blocks.add(new Block(dense(w, b + "attention.self.query", hidden, hidden),
          dense(w, b + "attention.self.key", hidden, hidden), dense(w, b + "attention.self.value", hidden, hidden),
          dense(w, b + "attention.output.dense", hidden, hidden), norm(w, b + "attention.output.LayerNorm"),
          dense(w, b + "intermediate.dense", intermediate, hidden), dense(w, b + "output.dense", hidden, intermediate),
          norm(w, b + "output.LayerNorm")));
    }
    pooler = w.has(p + "pooler.dense.weight") ? dense(w, p + "pooler.dense", hidden, hidden) : null;
    if (w.has("cls.predictions.transform.dense.weight")) {
      transform = dense(w, "cls.predictions.transform.dense", hidden, hidden);
      transformNorm = norm(w, "cls.predictions.transform.LayerNorm");
      decoder = c.bool("tie_word_embeddings", true) ? word : w.matrix("cls.predictions.decoder.weight", vocab, hidden);
      decoderBias = w.has("cls.predictions.bias") ? w.vector("cls.predictions.bias", vocab)
          : w.vector("cls.predictions.decoder.bias", vocab);
    } else {
      transform = null;
      transformNorm = null;
      decoder = null;
      decoderBias = null;
    }
  }

  private Dense dense(Weights w, String name, int out, int in) {
    return new Dense(w.matrix(name + ".weight", out, in), w.vector(name + ".bias", out));
  }

  private Norm norm(Weights w, String name) {
    boolean old = !w.has(name + ".weight") && w.has(name + ".gamma");
    return new Norm(w.vector(name + (old ? ".gamma" : ".weight"), hidden),
        w.vector(name + (old ? ".beta" : ".bias"), hidden));
  }

  @Override
  public Result forward(long[] ids, long[] tokenTypes, ReferenceModel.PostOverride override) {
    if (ids.length > positions) {
      throw new IllegalArgumentException(ids.length + " tokens exceed max_position_embeddings " + positions);
    }
    long[] types = tokenTypes == null ? new long[ids.length] : tokenTypes;
    if (types.length != ids.length) {
      throw new IllegalArgumentException(types.length + " token types for " + ids.length + " tokens");
    }
    double[][] h = RefMath.gather(word, ids, "token id");
    double[][] t = RefMath.gather(tokenType, types, "token type");
    for (int i = 0; i < ids.length; i++) {
      for (int d = 0; d < hidden; d++) {
        h[i][d] = h[i][d] + t[i][d] + position[i][d];
      }
    }
    h = RefMath.layerNorm(h, embNorm.g(), embNorm.b(), eps);
    double[][] embeddings = RefMath.copy(h);
    int hd = hidden / heads;
    List<Result.Layer> traces = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Block b = blocks.get(l);
      double[][] a = Attention.attend(apply(h, b.q()), apply(h, b.k()), apply(h, b.v()), heads, heads, hd,
          1.0 / Math.sqrt(hd), Attention.Mask.none());
      double[][] attn = RefMath.layerNorm(RefMath.add(apply(a, b.attnOut()), h), b.attnNorm().g(),
          b.attnNorm().b(), eps);
      double[][] pre = apply(attn, b.inter());
      double[][] post = RefMath.map(pre, act);
      override.apply(l, post);
      h = RefMath.layerNorm(RefMath.add(apply(post, b.out()), attn), b.outNorm().g(), b.outNorm().b(), eps);
      traces.add(new Result.Layer(pre, null, post, RefMath.copy(h)));
    }
    double[] pooled = null;
    if (pooler != null) {
      pooled = RefMath.map(apply(new double[][] {h[0]}, pooler), Math::tanh)[0];
    }
    double[][] logits = null;
    if (transform != null) {
      double[][] x = RefMath.map(apply(h, transform), act);
      x = RefMath.layerNorm(x, transformNorm.g(), transformNorm.b(), eps);
      logits = RefMath.linear(x, decoder, decoderBias);
    }
    return new Result(logits, h, pooled, embeddings, traces);
  }

  private static double[][] apply(double[][] x, Dense d) {
    return RefMath.linear(x, d.w(), d.b());
  }

  @Override
  public Sizes sizes() {
    return new Sizes(layers, hidden, intermediate, vocab, false);
  }
}
