package org.neurite.models.family;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TextTokenizer;

/**
 * Where a model being loaded comes from and where its weights live; {@link Loading#load} makes one
 * and hands it to the family's builder.
 *
 * @param source the folder: config.json, the memory-mapped tensors, tokenizer.json
 * @param device the device it computes on ({@code cpu}, {@code cuda:0})
 * @param weights the scope the weights (and the tokenizer's native memory) live in; freed when the
 *     model is closed
 * @param type the compute type: float32, or float64 for exact checks
 * @param storedDtype the type the checkpoint stores ({@code bfloat16}, ...), for showing
 * @param tokenizer the folder's tokenizer, if it has one
 * @param backend the tensor backend, for the autograd calls of a forward pass
 */
public record ModelOrigin(ModelSource source, String device, NDManager weights, DataType type, String storedDtype,
    Optional<TextTokenizer> tokenizer, TensorBackend backend) {
  /** The compute type's name, as {@link org.neurite.api.model.ModelSpec#dtype()} gives it. */
  public String dtype() {
    return type == DataType.FLOAT64 ? "float64" : "float32";
  }
}
