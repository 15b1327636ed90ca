package org.neurite.models.internal.neox;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.family.ModelFamily;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.api.NeuriteException;
import org.neurite.models.family.Activation;
import org.neurite.models.family.ConfigSizes;
import org.neurite.models.family.DecoderLayer;
import org.neurite.models.family.DecoderParts;
import org.neurite.models.family.DecoderSizes;
import org.neurite.models.family.HookedModels;
import org.neurite.models.family.Linear;
import org.neurite.models.family.Loading;
import org.neurite.models.family.Rope;
import org.neurite.models.family.WeightLoader;
import org.neurite.support.config.JsonModelConfig;
import org.osgi.service.component.annotations.Component;

/**
 * GPT-NeoX and Pythia ({@code model_type} gpt_neox): pre-LayerNorm blocks whose attention and MLP
 * run side by side on the block's input when {@code use_parallel_residual} (the default), rotary
 * embeddings on the first {@code rotary_pct} of each head (base {@code rotary_emb_base}), one fused
 * {@code query_key_value} whose output rows go head by head (q, k, v of head 0, then of head 1, ...)
 * and are regrouped at load so that {@code attn.hook_q/k/v} are the usual [heads, d_head] units,
 * biases by {@code attention_bias}, and the untied head {@code embed_out}.
 */
@Component(service = ModelFamily.class)
public final class GptNeoxFamily implements ModelFamily {

  @Override
  public String name() {
    return "gpt_neox";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("gpt_neox");
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("num_hidden_layers");
    int d = sizes.width("hidden_size");
    int heads = sizes.width("num_attention_heads");
    int inner = sizes.width("intermediate_size");
    int vocab = sizes.width("vocab_size");
    int positions = sizes.positive("max_position_embeddings", 2048);
    if (d % heads != 0) {
      throw new NeuriteException(c + ": hidden_size " + d + " is not a multiple of num_attention_heads " + heads + ".");
    }
    int dHead = d / heads;
    double eps = sizes.epsilon("layer_norm_eps", 1e-5);
    Activation act = Activation.named(c.string("hidden_act").orElse("gelu"), c.toString());
    boolean parallel = c.flag("use_parallel_residual", true);
    boolean bias = c.flag("attention_bias", true);
    boolean tied = c.flag("tie_word_embeddings", false);
    Rope rope = Rope.fromConfig(rotaryConfig(c), dHead);
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "embed_in.weight", "gpt_neox.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "layers." + l + ".";
        Linear fused = w.linear(b + "attention.query_key_value", 3L * d, d, bias);
        DecoderLayer.Extras extras = DecoderLayer.Extras.NONE.parallelResidual(parallel);
        blocks[l] = new DecoderLayer(w.layerNorm(b + "input_layernorm", d, eps),
            DecoderLayer.QkvProjection.fused(regrouped(fused, heads, dHead, d)),
            w.linear(b + "attention.dense", d, d, bias), w.layerNorm(b + "post_attention_layernorm", d, eps), null,
            w.linear(b + "mlp.dense_h_to_4h", inner, d, true), w.linear(b + "mlp.dense_4h_to_h", d, inner, true),
            1.0 / Math.sqrt(dHead), 0, extras);
      }
      NDArray embed = w.tensor("embed_in.weight", vocab, d);
      NDArray head = tied ? embed : w.headTensor("embed_out.weight", vocab, d);
      if (head == null) {
        throw new NeuriteException("The checkpoint in " + source.folder() + " has no embed_out.weight and config.json"
            + " says tie_word_embeddings is false; add the head's weights or set tie_word_embeddings to true.");
      }
      DecoderParts parts = new DecoderParts(embed, null, blocks, w.layerNorm("final_layer_norm", d, eps),
          new Linear(head, null), rope, act);
      String architecture = c.architectures().isEmpty() ? "GPTNeoXForCausalLM" : c.architectures().get(0);
      return HookedModels.decoder(name(), architecture, new DecoderSizes(inner, heads, heads, dHead, positions),
          origin, parts);
    });
  }

  /**
   * The fused projection with its output rows regrouped from [head][q, k, v][d_head] to
   * [q, k, v][head][d_head], so one matrix product gives queries, keys and values one after another.
   */
  private static Linear regrouped(Linear fused, int heads, int dHead, int d) {
    NDArray weight = fused.weight().reshape(heads, 3, dHead, d).transpose(1, 0, 2, 3).reshape(3L * d, d);
    NDArray bias = fused.bias() == null ? null : fused.bias().reshape(heads, 3, dHead).transpose(1, 0, 2)
        .reshape(3L * d);
    return new Linear(weight, bias);
  }

  /**
   * The config as the rotary embedding reads it: GPT-NeoX's {@code rotary_emb_base} and
   * {@code rotary_pct} are {@code rope_theta} and {@code partial_rotary_factor} (0.25 when absent, as
   * the config class defaults); both spellings at once must agree.
   */
  private static ModelConfig rotaryConfig(ModelConfig c) {
    JsonObject json = JsonParser.parseString(c.toJson()).getAsJsonObject();
    renamed(c, json, "rotary_emb_base", "rope_theta", Double.NaN);
    renamed(c, json, "rotary_pct", "partial_rotary_factor", 0.25);
    return JsonModelConfig.of(json.toString(), c.toString());
  }

  private static void renamed(ModelConfig c, JsonObject json, String older, String newer, double fallback) {
    if (c.has(older)) {
      double value = c.number(older, 0);
      if (c.has(newer) && c.number(newer, 0) != value) {
        throw c.unsupported(older, "it differs from " + newer + " (" + c.number(newer, 0) + "); give one of them");
      }
      json.addProperty(newer, value);
    } else if (!c.has(newer) && !Double.isNaN(fallback)) {
      json.addProperty(newer, fallback);
    }
  }
}
