package org.neurite.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes what one sequence does inside a model to a safetensors file: the model's output,
 * every {@code blocks.L.mlp.hook_post} and {@code blocks.L.hook_resid_post}, and with a target
 * token the gradient of {@code logits[0, T-1, target]} with respect to each
 * {@code blocks.L.mlp.hook_post} (named {@code grad.blocks.L.mlp.hook_post}).
 */
@ProviderType
public interface Tracer {

  /** What was written. */
  record Trace(Path file, long[] ids, List<String> tensors, double targetLogit) {}

  /**
   * @param target the token whose last-position logit is differentiated, or empty for no gradients
   * @throws org.neurite.api.NeuriteException if ids are out of the vocabulary or a target is given
   *     for a model without logits
   */
  Trace trace(LanguageModel model, long[] ids, OptionalLong target, Path out) throws java.io.IOException;
}
