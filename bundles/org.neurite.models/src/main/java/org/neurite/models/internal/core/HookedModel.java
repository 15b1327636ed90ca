package org.neurite.models.internal.core;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Optional;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TextTokenizer;

/** What every hooked model has besides its forward pass: identity, weights scope, tokenizer. */
public abstract class HookedModel implements LanguageModel {
  /** Where a model came from and where its weights live. */
  public record Origin(ModelSource source, String device, NDManager weights, DataType type,
      Optional<TextTokenizer> tokenizer) {}

  protected final Origin origin;
  protected final ModelSpec spec;

  protected HookedModel(Origin origin, ModelSpec spec) {
    this.origin = origin;
    this.spec = spec;
  }

  @Override
  public String name() {
    return origin.source().name();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public Path source() {
    return origin.source().folder();
  }

  @Override
  public String contentHash() {
    return origin.source().contentHash();
  }

  @Override
  public String device() {
    return origin.device();
  }

  @Override
  public Optional<TextTokenizer> tokenizer() {
    return origin.tokenizer();
  }

  /** The scope holding the weights: nothing a forward pass makes may end up here. */
  public NDManager weights() {
    return origin.weights();
  }

  /** The compute type of the weights. */
  protected DataType type() {
    return origin.type();
  }

  @Override
  public void close() {
    origin.weights().close();
    if (origin.source() instanceof AutoCloseable files) {
      try {
        files.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the files of " + name() + " failed", e);
      }
    }
    origin.tokenizer().ifPresent(t -> {
      if (t instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the tokenizer of " + name() + " failed", e);
        }
      }
    });
  }

  @Override
  public String toString() {
    return name() + " (" + spec.summary() + ", " + device() + ")";
  }
}
