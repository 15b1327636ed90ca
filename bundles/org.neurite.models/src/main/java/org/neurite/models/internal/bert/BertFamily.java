package org.neurite.models.internal.bert;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.family.ModelFamily;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.models.family.Activation;
import org.neurite.models.family.DecoderLayer;
import org.neurite.models.family.EncoderLayer;
import org.neurite.models.family.EncoderParts;
import org.neurite.models.family.HookedModels;
import org.neurite.models.family.Linear;
import org.neurite.models.family.Loading;
import org.neurite.models.family.Norm;
import org.neurite.models.family.WeightLoader;
import org.neurite.models.family.ConfigSizes;
import org.osgi.service.component.annotations.Component;

/**
 * BERT-style encoders (BERT, MiniLM, BGE, E5): absolute positions, token types, post-LN, erf GELU;
 * the pooler and the masked-LM head when the checkpoint has them.
 */
@Component(service = ModelFamily.class)
public final class BertFamily implements ModelFamily {

  @Override
  public String name() {
    return "bert";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("bert");
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    String positionType = c.string("position_embedding_type").orElse("absolute");
    if (!positionType.equals("absolute")) {
      throw c.unsupported("position_embedding_type", "Neurite implements absolute position embeddings only");
    }
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("num_hidden_layers");
    int d = sizes.width("hidden_size");
    int heads = sizes.width("num_attention_heads");
    int inner = sizes.width("intermediate_size");
    int vocab = sizes.width("vocab_size");
    int positions = sizes.width("max_position_embeddings", 512);
    int typeVocab = sizes.width("type_vocab_size", 2);
    if (d % heads != 0) {
      throw new NeuriteException(c + ": hidden_size " + d + " is not a multiple of num_attention_heads " + heads + ".");
    }
    double eps = sizes.epsilon("layer_norm_eps", 1e-12);
    Activation act = Activation.named(c.string("hidden_act").orElse("gelu"), c.toString());
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "embeddings.word_embeddings.weight",
          "bert.", "");
      EncoderLayer[] blocks = new EncoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "encoder.layer." + l + ".";
        blocks[l] = new EncoderLayer(DecoderLayer.QkvProjection.fused(Linear.concat(
            w.linear(b + "attention.self.query", d, d, true), w.linear(b + "attention.self.key", d, d, true),
            w.linear(b + "attention.self.value", d, d, true))),
            w.linear(b + "attention.output.dense", d, d, true), w.layerNorm(b + "attention.output.LayerNorm", d, eps),
            w.linear(b + "intermediate.dense", inner, d, true), w.linear(b + "output.dense", d, inner, true),
            w.layerNorm(b + "output.LayerNorm", d, eps));
      }
      NDArray words = w.tensor("embeddings.word_embeddings.weight", vocab, d);
      Linear pooler = w.has("pooler.dense.weight") ? w.linear("pooler.dense", d, d, true) : null;
      EncoderParts parts = new EncoderParts(words, w.tensor("embeddings.position_embeddings.weight",
          positions, d), w.tensor("embeddings.token_type_embeddings.weight", typeVocab, d),
          w.layerNorm("embeddings.LayerNorm", d, eps), blocks, act, pooler, maskedLmHead(w, words, d, vocab, eps, act));
      String architecture = c.architectures().isEmpty() ? "BertModel" : c.architectures().get(0);
      return HookedModels.encoder(name(), architecture, heads, origin, parts);
    });
  }

  /** {@code cls.predictions}: dense, activation, LayerNorm, then the decoder tied to the word embeddings. */
  private static UnaryOperator<NDArray> maskedLmHead(WeightLoader w, NDArray words, int d, int vocab, double eps,
      Activation act) {
    if (!w.hasFull("cls.predictions.transform.dense.weight")) {
      return null;
    }
    Linear transform = new Linear(w.headTensor("cls.predictions.transform.dense.weight", d, d),
        w.headTensor("cls.predictions.transform.dense.bias", d));
    Norm norm = Norm.layerNorm(w.headTensor("cls.predictions.transform.LayerNorm.weight", d),
        w.headTensor("cls.predictions.transform.LayerNorm.bias", d), eps);
    NDArray decoder = w.hasFull("cls.predictions.decoder.weight")
        ? w.headTensor("cls.predictions.decoder.weight", vocab, d) : words;
    NDArray bias = w.hasFull("cls.predictions.bias") ? w.headTensor("cls.predictions.bias", vocab)
        : w.headTensor("cls.predictions.decoder.bias", vocab);
    Linear out = new Linear(decoder, bias);
    return h -> {
      try (NDArray dense = transform.apply(h); NDArray activated = act.apply(dense); NDArray normed = norm.apply(activated)) {
        return out.apply(normed);
      }
    };
  }
}
