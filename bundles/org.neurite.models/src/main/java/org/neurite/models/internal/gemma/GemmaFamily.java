package org.neurite.models.internal.gemma;

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
import org.neurite.models.family.LayerTypes;
import org.neurite.models.family.Linear;
import org.neurite.models.family.Loading;
import org.neurite.models.family.Norm;
import org.neurite.models.family.Rope;
import org.neurite.models.family.WeightLoader;
import org.osgi.service.component.annotations.Component;

/**
 * Gemma ({@code gemma}), Gemma 2 ({@code gemma2}) and the text model of Gemma 3
 * ({@code gemma3_text}): the Llama block with RMSNorm scaling by (1 + weight), a GeGLU MLP (tanh
 * GELU unless {@code hidden_activation} says otherwise), token embeddings scaled by sqrt(d_model), a
 * head_dim of its own, and a head tied to the embedding by default. Gemma 2 adds norms after
 * attention and after the MLP, soft-capped attention logits and logits, query_pre_attn_scalar and
 * sliding-window layers alternating with global ones; Gemma 3 adds per-head query and key norms and
 * a rotary base of its own for the sliding layers.
 */
@Component(service = ModelFamily.class)
public final class GemmaFamily implements ModelFamily {
  private static final List<String> TYPES = List.of("gemma", "gemma2", "gemma3_text");

  @Override
  public String name() {
    return "gemma";
  }

  @Override
  public List<String> modelTypes() {
    return TYPES;
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    String type = c.modelType();
    boolean gemma2 = type.equals("gemma2");
    boolean gemma3 = type.equals("gemma3_text");
    boolean sandwich = gemma2 || gemma3;
    if (c.flag("use_bidirectional_attention", false)) {
      throw c.unsupported("use_bidirectional_attention", "Neurite's Gemma is the causal decoder; the bidirectional"
          + " encoder (EmbeddingGemma) is not implemented");
    }
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("num_hidden_layers");
    int d = sizes.width("hidden_size");
    int heads = sizes.width("num_attention_heads");
    int kvHeads = sizes.width("num_key_value_heads", heads);
    int dHead = sizes.width("head_dim", 256);
    int inner = sizes.width("intermediate_size");
    int vocab = sizes.width("vocab_size");
    int positions = sizes.positive("max_position_embeddings", 8192);
    if (heads % kvHeads != 0) {
      throw new NeuriteException(c + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
          + kvHeads + ".");
    }
    double eps = sizes.epsilon("rms_norm_eps", 1e-6);
    Activation act = Activation.named(activationName(c), c.toString());
    boolean bias = c.flag("attention_bias", false);
    boolean tied = c.flag("tie_word_embeddings", true);
    // Gemma scales q.k by 1/sqrt(head_dim); Gemma 2 and 3 by 1/sqrt(query_pre_attn_scalar), 256 by default
    double scale = 1.0 / Math.sqrt(sandwich ? ConfigSizes.above(c, "query_pre_attn_scalar",
        c.number("query_pre_attn_scalar", 256), 0) : dHead);
    double attnSoftcap = gemma2 ? softcap(c, "attn_logit_softcapping", 50.0) : gemma3
        ? softcap(c, "attn_logit_softcapping", 0) : 0;
    double logitSoftcap = gemma2 ? softcap(c, "final_logit_softcapping", 30.0) : gemma3
        ? softcap(c, "final_logit_softcapping", 0) : 0;
    boolean[] sliding = sandwich ? GemmaLayers.sliding(c, layers) : new boolean[layers];
    int window = sandwich ? GemmaLayers.window(c, sliding) : 0;
    GemmaLayers.Ropes ropes = gemma3 ? GemmaLayers.gemma3Ropes(c, dHead) : new GemmaLayers.Ropes(
        Rope.fromConfig(c, dHead), null);
    // sqrt(d) as a tensor of the compute type (Gemma 3's buffer is made while the compute type is the default)
    double embedScale = Math.sqrt(d);
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "embed_tokens.weight", "model.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "layers." + l + ".";
        DecoderLayer.QkvProjection qkv = DecoderLayer.QkvProjection.separate(
            w.linear(b + "self_attn.q_proj", (long) heads * dHead, d, bias),
            w.linear(b + "self_attn.k_proj", (long) kvHeads * dHead, d, bias),
            w.linear(b + "self_attn.v_proj", (long) kvHeads * dHead, d, bias));
        DecoderLayer.Extras extras = DecoderLayer.Extras.NONE.attentionSoftcap(attnSoftcap);
        Norm preMlp;
        if (sandwich) {
          extras = extras.outputNorms(norm(w, b + "post_attention_layernorm", d, eps),
              norm(w, b + "post_feedforward_layernorm", d, eps));
          preMlp = norm(w, b + "pre_feedforward_layernorm", d, eps);
        } else {
          preMlp = norm(w, b + "post_attention_layernorm", d, eps);
        }
        if (gemma3) {
          extras = extras.qkNorms(norm(w, b + "self_attn.q_norm", dHead, eps), norm(w, b + "self_attn.k_norm", dHead,
              eps)).layerRope(sliding[l] ? ropes.local() : ropes.global());
        }
        blocks[l] = new DecoderLayer(norm(w, b + "input_layernorm", d, eps), qkv,
            w.linear(b + "self_attn.o_proj", d, (long) heads * dHead, bias), preMlp,
            w.linear(b + "mlp.gate_proj", inner, d, false), w.linear(b + "mlp.up_proj", inner, d, false),
            w.linear(b + "mlp.down_proj", d, inner, false), scale, sliding[l] ? window : 0, extras);
      }
      NDArray embed = w.tensor("embed_tokens.weight", vocab, d);
      NDArray head = tied ? embed : w.headTensor("lm_head.weight", vocab, d);
      if (head == null) {
        throw new NeuriteException("The checkpoint in " + source.folder() + " has no lm_head.weight and config.json"
            + " says tie_word_embeddings is false; add the head's weights or set tie_word_embeddings to true.");
      }
      DecoderParts parts = new DecoderParts(embed, null, blocks, norm(w, "norm", d, eps), new Linear(head, null),
          gemma3 ? null : ropes.global(), act, new DecoderParts.Extras(embedScale, logitSoftcap));
      String architecture = c.architectures().isEmpty() ? type : c.architectures().get(0);
      return HookedModels.decoder(name(), architecture, new DecoderSizes(inner, heads, kvHeads, dHead, positions),
          origin, parts);
    });
  }

  /** {@code hidden_activation}, else the older {@code hidden_act}, else tanh GELU, as Gemma's configs default. */
  private static String activationName(ModelConfig c) {
    return c.string("hidden_activation").or(() -> c.string("hidden_act")).orElse("gelu_pytorch_tanh");
  }

  /** A soft cap: the config's value (null for none), or the config class's default when absent. */
  private static double softcap(ModelConfig c, String key, double fallback) {
    if (!c.keys().contains(key)) {
      return fallback;
    }
    return c.has(key) ? ConfigSizes.above(c, key, c.number(key, 0), 0) : 0;
  }

  /** Gemma's RMSNorm: {@code x / sqrt(mean(x^2) + eps) * (1 + weight)}. */
  private static Norm norm(WeightLoader w, String base, long width, double eps) {
    NDArray stored = w.tensor(base + ".weight", width);
    NDArray onePlus = stored.add(1.0);
    stored.close();
    return Norm.rmsNorm(onePlus, eps);
  }
}
