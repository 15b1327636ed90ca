package org.neurite.models.internal.core;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TextTokenizer;

/** The part of loading every family shares: a scope for the weights that is freed if loading fails. */
public final class Loading {
  /** Builds a model from its origin (source, device, weights scope, compute type, tokenizer). */
  @FunctionalInterface
  public interface Builder {
    LanguageModel build(HookedModel.Origin origin);
  }

  private Loading() {}

  public static LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend, Builder builder) {
    DataType type = options.dtype().equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    NDManager weights = backend.newScope(options.device());
    weights.setName("weights of " + source.name());
    Optional<TextTokenizer> tokenizer = Optional.empty();
    try {
      tokenizer = Tokenizers.open(source);
      return builder.build(new HookedModel.Origin(source, options.device(), weights, type, tokenizer));
    } catch (RuntimeException | Error e) {
      weights.close();
      tokenizer.ifPresent(t -> ((Tokenizers) t).close());
      throw e;
    }
  }

  /** The compute type's name as {@link org.neurite.api.model.ModelSpec#dtype()} gives it. */
  public static String dtypeName(DataType type) {
    return type == DataType.FLOAT64 ? "float64" : "float32";
  }
}
