package org.neurite.models.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import ai.djl.ndarray.NDManager;
import org.neurite.api.hook.GradientTarget;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.core.HookedModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelConfig;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.training.ParameterSource;

/**
 * Llama-family decoders on parameters a trainer owns. The model is the one the Llama family loads
 * from a folder -- same hook points, same forward pass -- except that its weights are the given
 * arrays themselves: a loss computed from its logits while gradients are recorded
 * ({@link TensorBackend#recordGradients}) back-propagates into every parameter that requires a
 * gradient, and updating a parameter in place (with recording off) changes the next forward pass.
 *
 * <pre>{@code
 * Map<String, NDArray> parameters = ...;   // Hugging Face names, each a leaf with setRequiresGradient(true)
 * LanguageModel model = TrainableDecoders.onParameters("tiny", folder, config, parameters, tokenizer,
 *     new LoadOptions("cpu", "float32"), backend);
 * }</pre>
 */
public final class TrainableDecoders {
  /** The model types whose parameters can be trained. */
  public static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2", "qwen3");

  private TrainableDecoders() {}

  /**
   * A decoder computing with {@code parameters} (names as {@code save_pretrained} writes them:
   * {@code model.layers.0.self_attn.q_proj.weight}, {@code lm_head.weight} unless the head is tied).
   * Closing the model frees its tokenizer, not the parameters, which stay the caller's.
   *
   * @param folder where the model is said to come from (its checkpoints' folder)
   * @throws NeuriteException if the config is not of a trainable family, or a parameter is missing,
   *     of another shape than the config implies, or not of the compute type
   */
  public static LanguageModel onParameters(String name, Path folder, ModelConfig config,
      Map<String, NDArray> parameters, Optional<Path> tokenizer, LoadOptions options, TensorBackend backend) {
    trainable(config);
    DataType type = options.dtype().equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      if (p.getValue().getDataType() != type) {
        throw new NeuriteException("Parameter '" + p.getKey() + "' is " + p.getValue().getDataType()
            + "; the model computes in " + options.dtype() + ". Give every parameter in the compute type.");
      }
    }
    return new LlamaFamily().load(new ParameterSource(name, folder, config, parameters, tokenizer), options, backend);
  }

  /**
   * One forward pass of {@code model} on {@code batch} that back-propagates {@code loss} (a scalar, or an
   * array that is summed) into every parameter that requires a gradient, before the pass's intermediate
   * values are freed. The loss's value is {@link Forward#targetValue()}; the logits and hidden states stay
   * in {@code scope}. Gradients accumulate, as in PyTorch: zero them between steps.
   *
   * @throws NeuriteException if the model is not one of the platform's hooked models, or the batch does not fit it
   */
  public static Forward backward(LanguageModel model, TokenBatch batch, GradientTarget loss, NDManager scope) {
    if (!(model instanceof HookedModel hooked)) {
      throw new NeuriteException("Model " + model.name() + " (" + model.getClass().getSimpleName() + ") is not a model"
          + " of the models bundle, so it cannot be trained; build it with TrainableDecoders.onParameters.");
    }
    return hooked.backward(batch, Hooks.none(), loss, scope);
  }

  /**
   * The parameters a Llama config implies, by name, with their shapes, in the order
   * {@code LlamaForCausalLM} lists them: the embedding, per layer the attention projections (with
   * biases when {@code attention_bias}), the MLP projections (biases when {@code mlp_bias}) and the
   * two norms, the final norm, and {@code lm_head.weight} unless {@code tie_word_embeddings}.
   *
   * @throws NeuriteException if the config is not {@code model_type} llama or a size is missing or not positive
   */
  public static Map<String, long[]> parameterShapes(ModelConfig config) {
    if (!"llama".equals(config.modelType())) {
      throw new NeuriteException(config + ": model_type is '" + config.modelType() + "'; a model initialised from a"
          + " config must be model_type llama (start from a folder for the other Llama-family types).");
    }
    long d = positive(config, "hidden_size", -1);
    long heads = positive(config, "num_attention_heads", -1);
    long kvHeads = positive(config, "num_key_value_heads", (int) heads);
    long dHead = positive(config, "head_dim", (int) Math.max(1, d / heads));
    long inner = positive(config, "intermediate_size", -1);
    long vocab = positive(config, "vocab_size", -1);
    long layers = positive(config, "num_hidden_layers", -1);
    boolean attentionBias = config.flag("attention_bias", false);
    boolean mlpBias = config.flag("mlp_bias", false);
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("model.embed_tokens.weight", new long[] {vocab, d});
    for (int l = 0; l < layers; l++) {
      String b = "model.layers." + l + ".";
      linear(shapes, b + "self_attn.q_proj", heads * dHead, d, attentionBias);
      linear(shapes, b + "self_attn.k_proj", kvHeads * dHead, d, attentionBias);
      linear(shapes, b + "self_attn.v_proj", kvHeads * dHead, d, attentionBias);
      linear(shapes, b + "self_attn.o_proj", d, heads * dHead, attentionBias);
      linear(shapes, b + "mlp.gate_proj", inner, d, mlpBias);
      linear(shapes, b + "mlp.up_proj", inner, d, mlpBias);
      linear(shapes, b + "mlp.down_proj", d, inner, mlpBias);
      shapes.put(b + "input_layernorm.weight", new long[] {d});
      shapes.put(b + "post_attention_layernorm.weight", new long[] {d});
    }
    shapes.put("model.norm.weight", new long[] {d});
    if (!config.flag("tie_word_embeddings", false)) {
      shapes.put("lm_head.weight", new long[] {vocab, d});
    }
    return shapes;
  }

  private static void linear(Map<String, long[]> shapes, String base, long out, long in, boolean bias) {
    shapes.put(base + ".weight", new long[] {out, in});
    if (bias) {
      shapes.put(base + ".bias", new long[] {out});
    }
  }

  private static long positive(ModelConfig config, String key, int fallback) {
    int value = fallback < 0 ? config.integer(key) : config.integer(key, fallback);
    if (value < 1) {
      throw new NeuriteException(config + ": '" + key + "' is " + value + "; it must be a whole number of at least 1."
          + " Fix the value in config.json.");
    }
    return value;
  }

  private static void trainable(ModelConfig config) {
    if (!MODEL_TYPES.contains(config.modelType())) {
      throw new NeuriteException(config + ": model_type '" + config.modelType() + "' cannot be trained; training"
          + " takes the Llama family (" + String.join(", ", MODEL_TYPES) + ").");
    }
  }
}
