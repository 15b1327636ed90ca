package org.neurite.itests.family.internal;

import ai.djl.ndarray.NDArray;
import java.util.List;
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
import org.osgi.service.component.annotations.Component;

/**
 * A family from outside the models bundle: checkpoints whose {@code model_type} is
 * {@code itest-gpt2} and whose tensors are GPT-2's (learned positions, pre-LayerNorm, fused
 * {@code c_attn}, Conv1D weights stored [in, out], gelu_new, head tied to {@code wte}), mapped
 * onto the shared decoder through the exported {@code org.neurite.models.family} package only.
 */
@Component(service = ModelFamily.class)
public final class ItestGpt2Family implements ModelFamily {

  @Override
  public String name() {
    return "itest-gpt2";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("itest-gpt2");
  }


  @Override
  public LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend) {
    ModelConfig c = source.config();
    int layers = c.integer("n_layer");
    int d = c.integer("n_embd");
    int heads = c.integer("n_head");
    int positions = c.integer("n_positions");
    int vocab = c.integer("vocab_size");
    int inner = 4 * d;
    int dHead = d / heads;
    double eps = c.number("layer_norm_epsilon", 1e-5);
    return Loading.load(source, options, backend, origin -> {
      WeightLoader w = WeightLoader.of(source, origin.weights(), origin.type(), "wte.weight", "transformer.", "");
      DecoderLayer[] blocks = new DecoderLayer[layers];
      for (int l = 0; l < layers; l++) {
        String b = "h." + l + ".";
        blocks[l] = new DecoderLayer(w.layerNorm(b + "ln_1", d, eps),
            DecoderLayer.QkvProjection.fused(w.conv1d(b + "attn.c_attn", d, 3L * d)),
            w.conv1d(b + "attn.c_proj", d, d), w.layerNorm(b + "ln_2", d, eps), null,
            w.conv1d(b + "mlp.c_fc", d, inner), w.conv1d(b + "mlp.c_proj", inner, d), 1.0 / Math.sqrt(dHead), 0);
      }
      NDArray wte = w.tensor("wte.weight", vocab, d);
      DecoderParts parts = new DecoderParts(wte, w.tensor("wpe.weight", positions, d), blocks,
          w.layerNorm("ln_f", d, eps), new Linear(wte, null), null, Activation.GELU_TANH);
      return HookedModels.decoder(name(), "ItestGpt2LMHeadModel", new DecoderSizes(inner, heads, heads, dHead,
          positions), origin, parts);
    });
  }
}
