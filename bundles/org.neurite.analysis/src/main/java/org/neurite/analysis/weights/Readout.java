package org.neurite.analysis.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TensorStore;

/**
 * Where a family keeps the weights that turn a residual-stream vector into vocabulary logits: the
 * unembedding {@code W_U} [vocab, d_model] and the final norm's gain (and bias) in front of it.
 *
 * <ul>
 *   <li>{@code llama} (Llama, Mistral, Qwen2/3): {@code lm_head.weight}, else the tied
 *       {@code embed_tokens.weight}; RMSNorm gain {@code norm.weight}, no bias.
 *   <li>{@code gpt2}: {@code lm_head.weight}, else the tied {@code wte.weight}; LayerNorm
 *       {@code ln_f.weight} and {@code ln_f.bias}.
 *   <li>{@code gpt_neox}: {@code embed_out.weight}, else the tied {@code embed_in.weight}; LayerNorm
 *       {@code final_layer_norm.weight} and {@code .bias}.
 *   <li>{@code bert}: the word embeddings {@code embeddings.word_embeddings.weight}, which the
 *       masked-LM head's decoder is tied to; an encoder has no final norm between its last block
 *       (already normalised, post-LayerNorm) and that matrix, so {@link #normGain()} is empty.
 *       The MLM head's dense + GELU + LayerNorm transform is not linear and is not part of the lens.
 * </ul>
 *
 * Tensor names may carry the prefix their head class saved them with ({@code model.},
 * {@code transformer.}, {@code gpt_neox.}, {@code bert.}).
 *
 * @param unembedding the tensor name of {@code W_U}
 * @param normGain the final norm's gain tensor, if the family has a final norm
 * @param normBias the final norm's bias tensor, if it has one (LayerNorm)
 * @param norm {@code rmsnorm}, {@code layernorm}, or {@code none}
 */
public record Readout(String unembedding, Optional<String> normGain, Optional<String> normBias, String norm) {

  /**
   * The readout of a model.
   *
   * @param names the checkpoint's tensor names
   * @throws NeuriteException for a family whose layout is not known, or a checkpoint lacking the tensors
   */
  public static Readout of(ModelSpec spec, Set<String> names) {
    return switch (spec.family()) {
      case "llama" -> new Readout(first(names, spec, "lm_head.weight", "embed_tokens.weight"),
          Optional.of(find(names, spec, "norm.weight")), Optional.empty(), "rmsnorm");
      case "gpt2" -> new Readout(first(names, spec, "lm_head.weight", "wte.weight"),
          Optional.of(find(names, spec, "ln_f.weight")), Optional.of(find(names, spec, "ln_f.bias")), "layernorm");
      case "gpt_neox" -> new Readout(first(names, spec, "embed_out.weight", "embed_in.weight"),
          Optional.of(find(names, spec, "final_layer_norm.weight")),
          Optional.of(find(names, spec, "final_layer_norm.bias")), "layernorm");
      case "bert" -> new Readout(find(names, spec, "embeddings.word_embeddings.weight"), Optional.empty(),
          Optional.empty(), "none");
      default -> throw new NeuriteException("Neurite does not know where family " + spec.family() + " keeps its"
          + " unembedding and final norm; the vocabulary readout supports llama (Llama, Mistral, Qwen2/3), gpt2,"
          + " gpt_neox and bert.");
    };
  }

  /** {@code W_U} [vocab, d_model], converted to {@code type}. */
  public NDArray unembedding(ModelSpec spec, TensorStore store, DataType type, NDManager manager) {
    NDArray w = store.load(unembedding, null, type, manager);
    long[] shape = w.getShape().getShape();
    if (shape.length != 2 || shape[1] != spec.dModel()) {
      throw new NeuriteException("Tensor " + unembedding + " has shape " + w.getShape() + "; the unembedding of a"
          + " model with d_model " + spec.dModel() + " must be [vocab, " + spec.dModel() + "].");
    }
    return w;
  }

  /** The final norm's gain [d_model], or empty if the family has none. */
  public Optional<NDArray> gain(ModelSpec spec, TensorStore store, DataType type, NDManager manager) {
    return normGain.map(n -> store.load(n, new long[] {spec.dModel()}, type, manager));
  }

  static String find(Set<String> names, ModelSpec spec, String suffix) {
    return names.stream().filter(n -> n.equals(suffix) || n.endsWith("." + suffix)).sorted().findFirst()
        .orElseThrow(() -> new NeuriteException("The " + spec.family() + " checkpoint has no tensor ending in "
            + suffix + "; it is needed to read the model's vocabulary readout."));
  }

  private static String first(Set<String> names, ModelSpec spec, String... suffixes) {
    for (String suffix : suffixes) {
      Optional<String> hit = names.stream().filter(n -> n.equals(suffix) || n.endsWith("." + suffix)).sorted()
          .findFirst();
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    throw new NeuriteException("The " + spec.family() + " checkpoint has none of the tensors " + List.of(suffixes)
        + "; one is its unembedding.");
  }
}
