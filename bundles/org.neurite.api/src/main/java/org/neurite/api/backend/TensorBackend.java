package org.neurite.api.backend;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.neurite.api.model.TextTokenizer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The tensor engine and its devices.
 *
 * <p>Native memory is freed only when an {@link NDManager} is closed, so every computation runs
 * in a scope obtained here and closed by the caller, normally in try-with-resources:
 *
 * <pre>{@code
 * try (NDManager scope = backend.newScope("cpu")) {
 *   NDArray y = scope.ones(new Shape(2, 2)).matMul(...);
 *   float[] out = y.toFloatArray();   // copy out what must outlive the scope
 * }
 * }</pre>
 *
 * A device is named as a run parameter ({@code cpu}, {@code cuda:0}), never chosen in code.
 */
@ProviderType
public interface TensorBackend {

  /** The engine's name, e.g. {@code PyTorch}. */
  String engineName();

  /** The engine's version, e.g. {@code 2.7.1}. */
  String engineVersion();

  /** The DJL version the engine runs under. */
  String djlVersion();

  /** Every device this backend can compute on now; the CPU is always first. */
  List<DeviceInfo> devices();

  /**
   * Resolves a device name.
   *
   * @param spec {@code cpu}, {@code gpu} (the first GPU), or {@code cuda:N}
   * @throws org.neurite.api.NeuriteException if the name is malformed or the device is not
   *     present; the message lists the devices that are
   */
  Device device(String spec);

  /**
   * Opens a new scope for tensors on the named device. Closing it frees every array created in it.
   *
   * @throws org.neurite.api.NeuriteException if the device is not available
   */
  NDManager newScope(String deviceSpec);

  /**
   * Turns recording of the autograd graph on or off for the calling thread only (other threads'
   * passes never record a graph they did not ask for).
   *
   * @return the previous state, to restore in a {@code finally} block
   */
  boolean recordGradients(boolean on);

  /**
   * Back-propagates from a scalar: every array on its graph that requires a gradient (a leaf made
   * with {@code stopGradient()} and {@code setRequiresGradient(true)}) receives it, readable with
   * {@code getGradient()}. The graph is freed afterwards.
   */
  void backward(ai.djl.ndarray.NDArray scalar);

  /**
   * Opens a Hugging Face {@code tokenizer.json} (the Rust tokenizers library, offline). It applies
   * no padding and no truncation, whatever the file's own settings say: batches are padded by
   * {@link org.neurite.api.model.TokenBatch}.
   *
   * <p>A tokenizer holds native memory, which belongs to {@code owner}: it is freed when that scope
   * is closed, and the tokenizer must not be used after that. A model passes the scope of its
   * weights, so the tokenizer lives exactly as long as the model; whoever only holds a
   * {@link TextTokenizer} never closes it.
   *
   * @throws org.neurite.api.NeuriteException if the file cannot be read or is not a tokenizer.json
   */
  TextTokenizer tokenizer(Path file, NDManager owner);

  /** Scopes opened through this backend and not yet closed: a leak shows up here. */
  int openScopes();
}
