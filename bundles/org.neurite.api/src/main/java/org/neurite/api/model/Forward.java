package org.neurite.api.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The result of one forward pass. Its arrays live in the scope passed to
 * {@link LanguageModel#forward} and are freed when that scope is closed.
 */
@ProviderType
public interface Forward {

  /** The batch that was run. */
  TokenBatch batch();

  /**
   * The last hidden states [batch, pos, d_model]: after the final norm for decoders
   * ({@code ln_final.hook_normalized}), the last block's output for encoders
   * ({@code last_hidden_state} in Hugging Face).
   */
  NDArray hiddenStates();

  /**
   * The logits [batch, pos, vocab], computed from the hidden states on first call.
   *
   * @throws org.neurite.api.NeuriteException if the model has no language-model head
   */
  NDArray logits();

  /** Further named outputs a family provides, e.g. {@code pooler_output} for BERT. */
  Optional<NDArray> output(String name);

  /** The attention mask [batch, pos] as int64, 1 at real tokens. */
  NDArray attentionMask();

  /**
   * A recorded value.
   *
   * @throws org.neurite.api.NeuriteException if no {@link Hooks#record(String)} matched the name
   */
  NDArray recorded(String hookName);

  /** Every recorded value, in forward order. */
  Map<String, NDArray> recorded();

  /**
   * The gradient of the target with respect to a hook point's value, of that value's shape.
   *
   * @throws org.neurite.api.NeuriteException if no {@link Hooks#gradient(String)} matched the name
   */
  NDArray gradient(String hookName);

  /** Every gradient, in forward order. */
  Map<String, NDArray> gradients();

  /** The value of the gradient target (summed), or NaN if there was none. */
  double targetValue();
}
