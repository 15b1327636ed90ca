package org.neurite.api.model;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.generate.Generation;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A loaded model with hook points. Forward passes may run concurrently from several threads;
 * each has its own hooks. Closing the model frees its weights.
 *
 * <p>As a workflow value it is persisted (type {@code model}) as its identity -- folder, content
 * hash, device and dtype -- and restored by loading it again.
 */
@ProviderType
public interface LanguageModel extends AutoCloseable {

  /** The name it was loaded under (its folder's name). */
  String name();

  /** Its family, sizes and hook points. */
  ModelSpec spec();

  /** The folder it was loaded from. */
  Path source();

  /** SHA-256 of its files: its identity in provenance. */
  String contentHash();

  /** The device it computes on. */
  String device();

  /** Its tokenizer, if its folder has one. */
  Optional<TextTokenizer> tokenizer();

  /**
   * Runs the model on a batch.
   *
   * @param hooks what to record, replace or differentiate; {@link Hooks#none()} for a plain pass
   * @param scope where the results live; the caller closes it. Intermediate values are freed
   *     before this returns, on success and on failure.
   * @throws org.neurite.api.NeuriteException if a token id is out of the vocabulary, a sequence is
   *     longer than the model takes, or a hook name matches no hook point
   */
  Forward forward(TokenBatch batch, Hooks hooks, NDManager scope);

  /**
   * Generates a continuation of each prompt, token by token with a key/value cache, the prompts
   * left-padded into one batch (each generates what it would alone). The hooks apply at every
   * decoding step they include (docs/generation.md).
   *
   * @param prompts token ids, one array per prompt, each non-empty
   * @param scope where recorded values live; the caller closes it. The cache and every other array
   *     are freed before this returns, on success and on failure.
   * @throws org.neurite.api.NeuriteException if the model is not a causal decoder, a token id is out
   *     of the vocabulary, a prompt plus the token budget is longer than the model takes, stop
   *     strings are given without a tokenizer, or a hook name matches no hook point
   */
  default Generation generate(List<long[]> prompts, GenerationOptions options, GenerationHooks hooks,
      NDManager scope) {
    throw new NeuriteException("Model " + name() + " (" + spec().family() + ") is not a causal decoder, so it cannot"
        + " generate text; load a decoder (GPT-2, Llama, Mistral, Qwen2, ...).");
  }

  @Override
  void close();
}
