package org.neurite.models.internal.repository;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.generate.Generation;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.model.TokenBatch;

/**
 * What the repository hands out: the one loaded instance, shared by every caller, which none of
 * them may close (its weights would vanish under the others). Only the repository frees it, on
 * {@code unload} or when it stops.
 */
public final class SharedModel implements LanguageModel {
  private final LanguageModel model;

  SharedModel(LanguageModel model) {
    this.model = model;
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public ModelSpec spec() {
    return model.spec();
  }

  @Override
  public Path source() {
    return model.source();
  }

  @Override
  public String contentHash() {
    return model.contentHash();
  }

  @Override
  public String device() {
    return model.device();
  }

  @Override
  public Optional<TextTokenizer> tokenizer() {
    return model.tokenizer();
  }

  @Override
  public Forward forward(TokenBatch batch, Hooks hooks, NDManager scope) {
    return model.forward(batch, hooks, scope);
  }

  @Override
  public Generation generate(List<long[]> prompts, GenerationOptions options, GenerationHooks hooks, NDManager scope) {
    return model.generate(prompts, options, hooks, scope);
  }

  /** Refused: the model is shared. */
  @Override
  public void close() {
    throw new NeuriteException("Model " + model.name() + " is shared by everything that loaded it from the model"
        + " repository and cannot be closed by one of them; unload it with ModelRepository.unload (console:"
        + " `unload " + model.name() + "`).");
  }

  /** The loaded instance behind the share, for tests that inspect its weights. */
  public LanguageModel instance() {
    return model;
  }

  /** Frees the weights: for the repository alone. */
  void release() {
    model.close();
  }

  @Override
  public String toString() {
    return model.toString();
  }
}
