package org.neurite.models.internal.phi3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import org.neurite.models.family.Rope;
import org.neurite.models.family.WeightLoader;
import org.osgi.service.component.annotations.Component;

/**
 * Phi-3 and Phi-4 ({@code model_type} phi3): the Llama block with q, k and v fused in
 * {@code self_attn.qkv_proj} (queries, then keys, then values) and gate and up fused in
 * {@code mlp.gate_up_proj} (gate rows first). The fused outputs are sliced so that
 * {@code attn.hook_q/k/v}, {@code mlp.hook_pre} (the gate) and {@code mlp.hook_pre_linear} (up) are
 * the same units as in the unfused families. Rotary settings as for every family, LongRoPE
 * ({@code longrope} or {@code su}) included, {@code partial_rotary_factor} (Phi-4-mini), a sliding
 * window on every layer when {@code sliding_window} is set, tied or untied head.
 */
@Component(service = ModelFamily.class)
public final class Phi3Family implements ModelFamily {

  @Override
  public String name() {
    return "phi3";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("phi3");
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("num_hidden_layers");
    int d = sizes.width("hidden_size");
    int heads = sizes.width("num_attention_heads");
    int kvHeads = sizes.width("num_key_value_heads", heads);
    int dHead = sizes.width("head_dim", Math.max(1, d / heads));
    int inner = sizes.width("intermediate_size");
    int vocab = sizes.width("vocab_size");
    int positions = sizes.positive("max_position_embeddings", 4096);
    if (heads % kvHeads != 0) {
      throw new NeuriteException(c + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
          + kvHeads + ".");
    }
    double eps = sizes.epsilon("rms_norm_eps", 1e-5);
    Activation act = Activation.named(c.string("hidden_act").orElse("silu"), c.toString());
    boolean tied = c.flag("tie_word_embeddings", false);
    Rope rope = Rope.fromConfig(c, dHead);
    int window = c.has("sliding_window") ? sizes.positive("sliding_window", 1) : 0;
    long qWidth = (long) heads * dHead;
    long kvWidth = (long) kvHeads * dHead;
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "embed_tokens.weight", "model.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "layers." + l + ".";
        DecoderLayer.QkvProjection qkv = DecoderLayer.QkvProjection.fused(
            w.linear(b + "self_attn.qkv_proj", qWidth + 2 * kvWidth, d, false), qWidth, kvWidth, kvWidth);
        NDArray gateUp = w.tensor(b + "mlp.gate_up_proj.weight", 2L * inner, d);
        NDList halves = gateUp.split(2, 0);
        blocks[l] = new DecoderLayer(w.rmsNorm(b + "input_layernorm", d, eps), qkv,
            w.linear(b + "self_attn.o_proj", d, qWidth, false), w.rmsNorm(b + "post_attention_layernorm", d, eps),
            new Linear(halves.get(0), null), new Linear(halves.get(1), null),
            w.linear(b + "mlp.down_proj", d, inner, false), 1.0 / Math.sqrt(dHead), window);
      }
      NDArray embed = w.tensor("embed_tokens.weight", vocab, d);
      NDArray head = tied ? embed : w.headTensor("lm_head.weight", vocab, d);
      if (head == null) {
        throw new NeuriteException("The checkpoint in " + source.folder() + " has no lm_head.weight and config.json"
            + " says tie_word_embeddings is false; add the head's weights or set tie_word_embeddings to true.");
      }
      DecoderParts parts = new DecoderParts(embed, null, blocks, w.rmsNorm("norm", d, eps), new Linear(head, null),
          rope, act);
      String architecture = c.architectures().isEmpty() ? "Phi3ForCausalLM" : c.architectures().get(0);
      return HookedModels.decoder(name(), architecture, new DecoderSizes(inner, heads, kvHeads, dHead, positions),
          origin, parts);
    });
  }
}
