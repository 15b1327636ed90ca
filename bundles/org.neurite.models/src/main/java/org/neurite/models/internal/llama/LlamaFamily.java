package org.neurite.models.internal.llama;

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
import org.neurite.models.family.DecoderLayer;
import org.neurite.models.family.DecoderParts;
import org.neurite.models.family.DecoderSizes;
import org.neurite.models.family.HookedModels;
import org.neurite.models.family.Linear;
import org.neurite.models.family.Loading;
import org.neurite.models.family.Rope;
import org.neurite.models.family.WeightLoader;
import org.neurite.models.family.ConfigSizes;
import org.osgi.service.component.annotations.Component;

/**
 * The Llama family: Llama 2/3 ({@code rope_scaling} llama3 included), Mistral (sliding window) and
 * Qwen2/2.5 (q/k/v biases) and Qwen3 (per-head RMSNorm of queries and keys before the rotary
 * embedding, explicit head_dim). RMSNorm, rotary positions, grouped-query attention, SwiGLU, and
 * a head tied to the embedding or not.
 */
@Component(service = ModelFamily.class)
public final class LlamaFamily implements ModelFamily {
  private static final List<String> TYPES = List.of("llama", "mistral", "qwen2", "qwen3");

  @Override
  public String name() {
    return "llama";
  }

  @Override
  public List<String> modelTypes() {
    return TYPES;
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    String type = c.modelType();
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("num_hidden_layers");
    int d = sizes.width("hidden_size");
    int heads = sizes.width("num_attention_heads");
    int kvHeads = sizes.width("num_key_value_heads", heads);
    // Qwen3Config defaults head_dim to 128; the others to hidden_size / num_attention_heads
    int dHead = sizes.width("head_dim", type.equals("qwen3") ? 128 : Math.max(1, d / heads));
    int inner = sizes.width("intermediate_size");
    int vocab = sizes.width("vocab_size");
    int positions = sizes.positive("max_position_embeddings", 2048);
    if (heads % kvHeads != 0) {
      throw new NeuriteException(c + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
          + kvHeads + ".");
    }
    double eps = sizes.epsilon("rms_norm_eps", 1e-6);
    Activation act = Activation.named(c.string("hidden_act").orElse("silu"), c.toString());
    boolean qkvBias = type.equals("qwen2") || c.flag("attention_bias", false);
    boolean outBias = !type.equals("qwen2") && c.flag("attention_bias", false);
    boolean mlpBias = c.flag("mlp_bias", false);
    boolean tied = c.flag("tie_word_embeddings", false);
    boolean qkNorms = type.equals("qwen3");
    Rope rope = Rope.fromConfig(c, dHead);
    int[] windows = SlidingWindows.of(c, layers);
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "embed_tokens.weight", "model.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "layers." + l + ".";
        DecoderLayer.QkvProjection qkv = DecoderLayer.QkvProjection.separate(
            w.linear(b + "self_attn.q_proj", (long) heads * dHead, d, qkvBias),
            w.linear(b + "self_attn.k_proj", (long) kvHeads * dHead, d, qkvBias),
            w.linear(b + "self_attn.v_proj", (long) kvHeads * dHead, d, qkvBias));
        DecoderLayer.Extras extras = qkNorms ? DecoderLayer.Extras.NONE.qkNorms(
            w.rmsNorm(b + "self_attn.q_norm", dHead, eps), w.rmsNorm(b + "self_attn.k_norm", dHead, eps))
            : DecoderLayer.Extras.NONE;
        blocks[l] = new DecoderLayer(w.rmsNorm(b + "input_layernorm", d, eps), qkv,
            w.linear(b + "self_attn.o_proj", d, (long) heads * dHead, outBias),
            w.rmsNorm(b + "post_attention_layernorm", d, eps),
            w.linear(b + "mlp.gate_proj", inner, d, mlpBias), w.linear(b + "mlp.up_proj", inner, d, mlpBias),
            w.linear(b + "mlp.down_proj", d, inner, mlpBias), 1.0 / Math.sqrt(dHead), windows[l], extras);
      }
      NDArray embed = w.tensor("embed_tokens.weight", vocab, d);
      NDArray head = tied ? embed : w.headTensor("lm_head.weight", vocab, d);
      if (head == null) {
        throw new NeuriteException("The checkpoint in " + source.folder() + " has no lm_head.weight and config.json"
            + " says tie_word_embeddings is false; add the head's weights or set tie_word_embeddings to true.");
      }
      DecoderParts parts = new DecoderParts(embed, null, blocks, w.rmsNorm("norm", d, eps),
          new Linear(head, null), rope, act);
      String architecture = c.architectures().isEmpty() ? type : c.architectures().get(0);
      return HookedModels.decoder(name(), architecture, new DecoderSizes(inner, heads, kvHeads, dHead, positions),
          origin, parts);
    });
  }
}
