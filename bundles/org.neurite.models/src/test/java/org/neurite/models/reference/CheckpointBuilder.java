package org.neurite.models.reference;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.neurite.api.model.TensorDtype;

/**
 * What every tiny checkpoint builder shares: the folder, the seed, the storage dtype and
 * sharding, and the random draws. Weights are drawn in the order the family adds them, from
 * {@code new Random(seed)}: matrices and embeddings {@code gaussian * 0.2}, biases
 * {@code gaussian * 0.1}, norm weights {@code 1 + gaussian * 0.1}, norm biases {@code gaussian * 0.1},
 * Gemma's offset norm weights (the w of {@code 1 + w}) {@code gaussian * 0.1}; each is rounded to float32 first and then to the storage dtype.
 *
 * @param <B> the concrete builder, for chaining
 */
public abstract class CheckpointBuilder<B extends CheckpointBuilder<B>> {
  private final Path dir;
  private long seed;
  private TensorDtype dtype = TensorDtype.F32;
  private boolean sharded;
  private Random random;
  private List<CheckpointFiles.Stored> tensors;
  private JsonObject configEdits = new JsonObject();

  protected CheckpointBuilder(Path dir) {
    this.dir = dir;
  }

  /** The seed of the weights (default 0). */
  public B seed(long value) {
    this.seed = value;
    return self();
  }

  /** Stores floating weights as {@code "F32"} (default), {@code "F16"} or {@code "BF16"}. */
  public B dtype(String name) {
    return dtype(TensorDtype.parse(name).orElseThrow(() -> new IllegalArgumentException("unknown dtype " + name)));
  }

  /** Stores floating weights as F32 (default), F16, BF16 or F64. */
  public B dtype(TensorDtype value) {
    if (!value.isFloat()) {
      throw new IllegalArgumentException(value + " is not a floating-point type");
    }
    this.dtype = value;
    return self();
  }

  /** Splits the weights into two shards with an index file instead of one model.safetensors. */
  public B sharded(boolean value) {
    this.sharded = value;
    return self();
  }

  /**
   * Sets top-level keys of config.json after the family has written its own, e.g. the newer
   * spelling {@code {"rope_parameters": {...}, "rope_scaling": null}}; a JSON null value removes the key.
   */
  public B configEdits(String json) {
    this.configEdits = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    return self();
  }

  /** Writes config.json and the weights, replacing any weights in the folder, and returns the folder. */
  public final Path write() {
    random = new Random(seed);
    tensors = new ArrayList<>();
    JsonObject config = config();
    config.addProperty("torch_dtype", CheckpointFiles.torchDtype(dtype));
    configEdits.entrySet().forEach(e -> {
      if (e.getValue().isJsonNull()) {
        config.remove(e.getKey());
      } else {
        config.add(e.getKey(), e.getValue().deepCopy());
      }
    });
    addTensors();
    CheckpointFiles.clearWeights(dir);
    CheckpointFiles.writeTensors(dir, sharded ? CheckpointFiles.twoShards(tensors)
        : Map.of(CheckpointFiles.SINGLE, tensors));
    CheckpointFiles.writeJson(dir.resolve(CheckpointFiles.CONFIG), config);
    return dir;
  }

  /** The family's config.json (without torch_dtype, which is added from the dtype). */
  protected abstract JsonObject config();

  /** Adds every tensor, in the order Hugging Face's state dict lists them. */
  protected abstract void addTensors();

  /** A weight matrix or embedding table [rows, cols]: gaussian * 0.2. */
  protected final void matrix(String name, int rows, int cols) {
    add(name, new long[] {rows, cols}, 0.0, 0.2, rows * cols);
  }

  /** A bias [n]: gaussian * 0.1. */
  protected final void bias(String name, int n) {
    add(name, new long[] {n}, 0.0, 0.1, n);
  }

  /** A norm's weight [n]: 1 + gaussian * 0.1. */
  protected final void normWeight(String name, int n) {
    add(name, new long[] {n}, 1.0, 0.1, n);
  }

  /** A Gemma norm's weight [n], stored as the offset w of its scale 1 + w: gaussian * 0.1. */
  protected final void offsetNormWeight(String name, int n) {
    add(name, new long[] {n}, 0.0, 0.1, n);
  }

  /** A norm's bias [n]: gaussian * 0.1. */
  protected final void normBias(String name, int n) {
    add(name, new long[] {n}, 0.0, 0.1, n);
  }

  private void add(String name, long[] shape, double offset, double scale, int count) {
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (offset + random.nextGaussian() * scale);
    }
    tensors.add(new CheckpointFiles.Stored(name, dtype, shape, Dtypes.encode(dtype, values)));
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
