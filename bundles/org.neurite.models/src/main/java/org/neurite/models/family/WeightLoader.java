package org.neurite.models.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TensorStore;

/**
 * Loads a family's weights by their Hugging Face names, checking each shape against the config.
 * Checkpoints differ in the prefix of their names ({@code transformer.}, {@code model.},
 * {@code bert.} or none, by which head class saved them); the prefix is found once, from a probe name.
 */
public final class WeightLoader {
  private final TensorStore store;
  private final NDManager manager;
  private final DataType type;
  private final String prefix;

  private WeightLoader(TensorStore store, NDManager manager, DataType type, String prefix) {
    this.store = store;
    this.manager = manager;
    this.type = type;
    this.prefix = prefix;
  }

  /**
   * @param probe a name every checkpoint of the family has, e.g. {@code wte.weight}
   * @param prefixes the prefixes to try, e.g. {@code "transformer.", ""}
   */
  public static WeightLoader of(ModelSource source, NDManager manager, DataType type, String probe, String... prefixes) {
    TensorStore store = source.tensors();
    for (String p : prefixes) {
      if (store.entry(p + probe).isPresent()) {
        return new WeightLoader(store, manager, type, p);
      }
    }
    throw new NeuriteException("The weights of " + source.folder() + " have no '" + probe + "' (tried the prefixes "
        + List.of(prefixes) + "); they do not look like a " + source.config().modelType() + " checkpoint. First names: "
        + store.names().stream().limit(5).toList());
  }

  /** A tensor under the family prefix, of the given shape. */
  public NDArray tensor(String name, long... shape) {
    return store.load(prefix + name, shape, type, manager);
  }

  /** A tensor outside the family prefix (a head such as {@code lm_head.weight}), if present. */
  public NDArray headTensor(String name, long... shape) {
    return store.entry(name).isPresent() ? store.load(name, shape, type, manager) : null;
  }

  /** Whether the checkpoint has a tensor under the family prefix. */
  public boolean has(String name) {
    return store.entry(prefix + name).isPresent();
  }

  /** Whether the checkpoint has a tensor by its full name. */
  public boolean hasFull(String name) {
    return store.entry(name).isPresent();
  }

  /** A PyTorch {@code nn.Linear}: weight [out, in], optional bias [out]. */
  public Linear linear(String base, long out, long in, boolean bias) {
    return new Linear(tensor(base + ".weight", out, in), bias ? tensor(base + ".bias", out) : null);
  }

  /** GPT-2's {@code Conv1D}: weight stored [in, out], used through a transposed view. */
  public Linear conv1d(String base, long in, long out) {
    return new Linear(tensor(base + ".weight", in, out).transpose(), tensor(base + ".bias", out));
  }

  public Norm layerNorm(String base, long width, double eps) {
    return Norm.layerNorm(tensor(base + ".weight", width), tensor(base + ".bias", width), eps);
  }

  public Norm rmsNorm(String base, long width, double eps) {
    return Norm.rmsNorm(tensor(base + ".weight", width), eps);
  }

  public DataType type() {
    return type;
  }
}
