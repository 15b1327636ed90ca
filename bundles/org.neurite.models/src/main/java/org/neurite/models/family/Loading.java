package org.neurite.models.family;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorDtype;
import org.neurite.api.model.TextTokenizer;

/**
 * The part of loading every family shares: a scope for the weights (and the tokenizer, whose native
 * memory the backend attaches to it) that is freed if loading fails.
 */
public final class Loading {
  /** Builds a model from its origin (source, device, weights scope, compute type, tokenizer). */
  @FunctionalInterface
  public interface Builder {
    LanguageModel build(ModelOrigin origin);
  }

  private Loading() {}

  /**
   * Opens a scope for the weights on the options' device, opens the folder's tokenizer into it, and
   * calls {@code builder}; if the builder throws, the scope (with every weight it loaded) is freed.
   *
   * @param builder maps the checkpoint onto a model, usually through {@link WeightLoader#of} and
   *     {@link HookedModels}
   */
  public static LanguageModel load(ModelSource source, LoadOptions options, TensorBackend backend, Builder builder) {
    DataType type = options.dtype().equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    NDManager weights = backend.newScope(options.device());
    weights.setName("weights of " + source.name());
    try {
      // the tokenizer's native memory belongs to the weights scope: freed with the model
      Optional<TextTokenizer> tokenizer = source.tokenizerFile().map(file -> backend.tokenizer(file, weights));
      return builder.build(new ModelOrigin(source, options.device(), weights, type, storedDtype(source),
          tokenizer, backend));
    } catch (RuntimeException | Error e) {
      weights.close();
      throw e;
    }
  }

  /** The config's {@code dtype} (newer) or {@code torch_dtype}, else the type of the checkpoint's first float tensor. */
  static String storedDtype(ModelSource source) {
    Optional<String> declared = source.config().string("dtype").or(() -> source.config().string("torch_dtype"));
    if (declared.isPresent()) {
      return declared.get().replace("torch.", "");
    }
    return source.tensors().names().stream().map(n -> source.tensors().entry(n).orElseThrow().dtype())
        .filter(TensorDtype::isFloat).findFirst()
        .map(t -> switch (t) {
          case BF16 -> "bfloat16";
          case F16 -> "float16";
          case F64 -> "float64";
          default -> "float32";
        }).orElse("float32");
  }
}
