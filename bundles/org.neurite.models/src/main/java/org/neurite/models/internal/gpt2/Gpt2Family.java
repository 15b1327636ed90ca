package org.neurite.models.internal.gpt2;

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
import org.neurite.models.family.WeightLoader;
import org.neurite.models.family.ConfigSizes;
import org.osgi.service.component.annotations.Component;

/**
 * GPT-2 ({@code model_type} gpt2): learned positions, pre-LayerNorm, fused {@code c_attn}, Conv1D
 * weights stored [in, out], {@code gelu_new}, and a head tied to the token embedding unless the
 * checkpoint stores {@code lm_head.weight}.
 */
@Component(service = ModelFamily.class)
public final class Gpt2Family implements ModelFamily {

  @Override
  public String name() {
    return "gpt2";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("gpt2");
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    ConfigSizes sizes = ConfigSizes.of(source);
    int layers = sizes.layers("n_layer");
    int d = sizes.width("n_embd");
    int heads = sizes.width("n_head");
    int positions = sizes.width(c.has("n_positions") ? "n_positions" : "n_ctx");
    int vocab = sizes.width("vocab_size");
    int inner = sizes.width("n_inner", (int) Math.min(Integer.MAX_VALUE, 4L * d));
    if (d % heads != 0) {
      throw new NeuriteException(c + ": n_embd " + d + " is not a multiple of n_head " + heads + ".");
    }
    int dHead = d / heads;
    double eps = sizes.epsilon("layer_norm_epsilon", 1e-5);
    Activation act = Activation.named(c.string("activation_function").orElse("gelu_new"), c.toString());
    boolean scaleByHead = c.flag("scale_attn_weights", true);
    boolean scaleByLayer = c.flag("scale_attn_by_inverse_layer_idx", false);
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "wte.weight", "transformer.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "h." + l + ".";
        double scale = (scaleByHead ? 1.0 / Math.sqrt(dHead) : 1.0) / (scaleByLayer ? l + 1 : 1);
        blocks[l] = new DecoderLayer(w.layerNorm(b + "ln_1", d, eps),
            DecoderLayer.QkvProjection.fused(w.conv1d(b + "attn.c_attn", d, 3L * d)),
            w.conv1d(b + "attn.c_proj", d, d), w.layerNorm(b + "ln_2", d, eps), null,
            w.conv1d(b + "mlp.c_fc", d, inner), w.conv1d(b + "mlp.c_proj", inner, d), scale, 0);
      }
      var wte = w.tensor("wte.weight", vocab, d);
      var lmHead = w.headTensor("lm_head.weight", vocab, d);
      DecoderParts parts = new DecoderParts(wte, w.tensor("wpe.weight", positions, d), blocks,
          w.layerNorm("ln_f", d, eps), new Linear(lmHead == null ? wte : lmHead, null), null, act);
      String architecture = c.architectures().isEmpty() ? "GPT2LMHeadModel" : c.architectures().get(0);
      return HookedModels.decoder(name(), architecture, new DecoderSizes(inner, heads, heads, dHead, positions), origin,
          parts);
    });
  }
}
