package org.neurite.models.internal.opt;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.family.ModelFamily;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.models.family.Activation;
import org.neurite.models.family.ConfigSizes;
import org.neurite.models.family.DecoderLayer;
import org.neurite.models.family.DecoderParts;
import org.neurite.models.family.DecoderSizes;
import org.neurite.models.family.HookedModels;
import org.neurite.models.family.Linear;
import org.neurite.models.family.Loading;
import org.neurite.models.family.Norm;
import org.neurite.models.family.WeightLoader;
import org.osgi.service.component.annotations.Component;

/**
 * OPT ({@code model_type} opt): learned positions stored with OPT's offset of 2 (position p is row
 * p + 2 of {@code embed_positions}; positions count real tokens, so padding on either side gives
 * each token the position it has alone), separate q/k/v projections with biases, a ReLU MLP
 * ({@code activation_function}), pre- or post-LayerNorm blocks by {@code do_layer_norm_before}, the
 * {@code project_in} / {@code project_out} projections when {@code word_embed_proj_dim} differs from
 * {@code hidden_size}, and a head tied to the token embedding unless {@code lm_head.weight} is stored.
 */
@Component(service = ModelFamily.class)
public final class OptFamily implements ModelFamily {
  /** OPT stores two rows before position 0 (fairseq's padding offset). */
  private static final int POSITION_OFFSET = 2;
  /** torch.nn.LayerNorm's default: OPT's config has no epsilon. */
  private static final double EPS = 1e-5;

  @Override
  public String name() {
    return "opt";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("opt");
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("num_hidden_layers");
    int d = sizes.width("hidden_size");
    int heads = sizes.width("num_attention_heads");
    int inner = sizes.width("ffn_dim");
    int vocab = sizes.width("vocab_size");
    int positions = sizes.width("max_position_embeddings");
    int embedWidth = sizes.width("word_embed_proj_dim", d);
    if (d % heads != 0) {
      throw new NeuriteException(c + ": hidden_size " + d + " is not a multiple of num_attention_heads " + heads + ".");
    }
    if (!c.flag("layer_norm_elementwise_affine", true)) {
      throw c.unsupported("layer_norm_elementwise_affine", "LayerNorms without weights and biases are not implemented"
          + " for OPT");
    }
    int dHead = d / heads;
    Activation act = Activation.named(c.string("activation_function").orElse("relu"), c.toString());
    boolean bias = c.flag("enable_bias", true);
    boolean preNorm = c.flag("do_layer_norm_before", true);
    boolean finalNorm = preNorm && !c.flag("_remove_final_layer_norm", false);
    boolean projected = embedWidth != d;
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "embed_tokens.weight", "model.decoder.",
          "decoder.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      DecoderLayer.Extras extras = DecoderLayer.Extras.NONE.postNormBlock(!preNorm);
      for (int l = 0; l < layers; l++) {
        String b = "layers." + l + ".";
        DecoderLayer.QkvProjection qkv = DecoderLayer.QkvProjection.separate(w.linear(b + "self_attn.q_proj", d, d, bias),
            w.linear(b + "self_attn.k_proj", d, d, bias), w.linear(b + "self_attn.v_proj", d, d, bias));
        blocks[l] = new DecoderLayer(w.layerNorm(b + "self_attn_layer_norm", d, EPS), qkv,
            w.linear(b + "self_attn.out_proj", d, d, bias), w.layerNorm(b + "final_layer_norm", d, EPS), null,
            w.linear(b + "fc1", inner, d, bias), w.linear(b + "fc2", d, inner, bias), 1.0 / Math.sqrt(dHead), 0,
            extras);
      }
      NDArray embed = w.tensor("embed_tokens.weight", vocab, embedWidth);
      NDArray stored = w.tensor("embed_positions.weight", positions + POSITION_OFFSET, d);
      NDArray positionRows = stored.get(POSITION_OFFSET + ":");
      NDArray lmHead = w.headTensor("lm_head.weight", vocab, embedWidth);
      if (lmHead == null && !c.flag("tie_word_embeddings", true)) {
        throw new NeuriteException("The checkpoint in " + source.folder() + " has no lm_head.weight and config.json"
            + " says tie_word_embeddings is false; add the head's weights or set tie_word_embeddings to true.");
      }
      Norm last = finalNorm ? w.layerNorm("final_layer_norm", d, EPS) : x -> x;
      DecoderParts.Extras partsExtras = DecoderParts.Extras.NONE.projections(
          projected ? w.linear("project_in", d, embedWidth, false) : null,
          projected ? w.linear("project_out", embedWidth, d, false) : null);
      DecoderParts parts = new DecoderParts(embed, positionRows, blocks, last,
          new Linear(lmHead == null ? embed : lmHead, null), null, act, partsExtras);
      String architecture = c.architectures().isEmpty() ? "OPTForCausalLM" : c.architectures().get(0);
      return HookedModels.decoder(name(), architecture, new DecoderSizes(inner, heads, heads, dHead, positions),
          origin, parts);
    });
  }
}
