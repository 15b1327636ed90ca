package org.neurite.models.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * A tiny BERT checkpoint. By default the {@code BertForMaskedLM} layout of {@code bert-base-uncased}:
 * names under {@code bert.}, a pooler, and the MLM head {@code cls.predictions.transform.*} plus
 * {@code cls.predictions.bias}, its decoder tied to the word embeddings and not stored. With
 * {@code maskedLm(false)} the {@code BertModel} layout: no prefix and no head. Defaults: 2 layers,
 * hidden 32, 4 heads, intermediate 64, vocab 101, max_position_embeddings 64, type_vocab_size 2,
 * gelu (erf), layer_norm_eps 1e-12.
 */
public final class BertCheckpoint extends CheckpointBuilder<BertCheckpoint> {
  private int layers = 2;
  private int hidden = 32;
  private int heads = 4;
  private int intermediate = 64;
  private int vocab = 101;
  private int maxPositions = 64;
  private int typeVocab = 2;
  private String hiddenAct = "gelu";
  private boolean maskedLm = true;
  private boolean pooler = true;

  BertCheckpoint(Path dir) {
    super(dir);
  }

  /** num_hidden_layers. */
  public BertCheckpoint layers(int value) {
    this.layers = value;
    return this;
  }

  /** hidden_size. */
  public BertCheckpoint hidden(int value) {
    this.hidden = value;
    return this;
  }

  /** num_attention_heads. */
  public BertCheckpoint heads(int value) {
    this.heads = value;
    return this;
  }

  /** intermediate_size. */
  public BertCheckpoint intermediate(int value) {
    this.intermediate = value;
    return this;
  }

  /** vocab_size. */
  public BertCheckpoint vocab(int value) {
    this.vocab = value;
    return this;
  }

  /** max_position_embeddings. */
  public BertCheckpoint maxPositions(int value) {
    this.maxPositions = value;
    return this;
  }

  /** type_vocab_size. */
  public BertCheckpoint typeVocab(int value) {
    this.typeVocab = value;
    return this;
  }

  /** hidden_act (default gelu, the erf form). */
  public BertCheckpoint hiddenAct(String value) {
    this.hiddenAct = value;
    return this;
  }

  /** BertForMaskedLM layout with the bert. prefix and MLM head (default), or BertModel layout. */
  public BertCheckpoint maskedLm(boolean value) {
    this.maskedLm = value;
    return this;
  }

  /** Whether the pooler is stored (default true). */
  public BertCheckpoint pooler(boolean value) {
    this.pooler = value;
    return this;
  }

  @Override
  protected JsonObject config() {
    JsonObject c = new JsonObject();
    JsonArray architectures = new JsonArray();
    architectures.add(maskedLm ? "BertForMaskedLM" : "BertModel");
    c.add("architectures", architectures);
    c.addProperty("model_type", "bert");
    c.addProperty("hidden_size", hidden);
    c.addProperty("num_attention_heads", heads);
    c.addProperty("intermediate_size", intermediate);
    c.addProperty("num_hidden_layers", layers);
    c.addProperty("vocab_size", vocab);
    c.addProperty("max_position_embeddings", maxPositions);
    c.addProperty("type_vocab_size", typeVocab);
    c.addProperty("hidden_act", hiddenAct);
    c.addProperty("layer_norm_eps", 1e-12);
    c.addProperty("position_embedding_type", "absolute");
    c.addProperty("hidden_dropout_prob", 0.1);
    c.addProperty("attention_probs_dropout_prob", 0.1);
    c.addProperty("initializer_range", 0.02);
    c.addProperty("pad_token_id", 0);
    return c;
  }

  @Override
  protected void addTensors() {
    String p = maskedLm ? "bert." : "";
    matrix(p + "embeddings.word_embeddings.weight", vocab, hidden);
    matrix(p + "embeddings.position_embeddings.weight", maxPositions, hidden);
    matrix(p + "embeddings.token_type_embeddings.weight", typeVocab, hidden);
    norm(p + "embeddings.LayerNorm", hidden);
    for (int l = 0; l < layers; l++) {
      String e = p + "encoder.layer." + l + ".";
      linear(e + "attention.self.query", hidden, hidden);
      linear(e + "attention.self.key", hidden, hidden);
      linear(e + "attention.self.value", hidden, hidden);
      linear(e + "attention.output.dense", hidden, hidden);
      norm(e + "attention.output.LayerNorm", hidden);
      linear(e + "intermediate.dense", intermediate, hidden);
      linear(e + "output.dense", hidden, intermediate);
      norm(e + "output.LayerNorm", hidden);
    }
    if (pooler) {
      linear(p + "pooler.dense", hidden, hidden);
    }
    if (maskedLm) {
      bias("cls.predictions.bias", vocab);
      linear("cls.predictions.transform.dense", hidden, hidden);
      norm("cls.predictions.transform.LayerNorm", hidden);
    }
  }

  private void linear(String name, int out, int in) {
    matrix(name + ".weight", out, in);
    bias(name + ".bias", out);
  }

  private void norm(String name, int n) {
    normWeight(name + ".weight", n);
    normBias(name + ".bias", n);
  }
}
