package org.neurite.methods.inspect.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neurite.analysis.weights.NeuronWeights;
import org.neurite.analysis.weights.Readout;
import org.neurite.analysis.weights.UnitDirection;
import org.neurite.api.NeuriteException;
import org.neurite.api.analysis.Unit;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TensorStore;

/**
 * Vocabulary decoding of MLP neurons through the final projection (METHODS.md B6; Davies,
 * "Decoding specialised feature neurons in LLMs with the final projection layer"): for every
 * neuron i of the chosen layers, {@code p_i = softmax(W_U · (g ⊙ w_i))} over the vocabulary, with
 * w_i the neuron's input vector (the up_proj row, what it reads: the paper's) or output vector
 * (the down_proj column, what it writes), g the final norm's gain (or 1), and its top-k tokens.
 *
 * <p>The final norm's bias (LayerNorm families) is not added: {@code W_U · b} is the same for
 * every neuron, so it would only pull every neuron towards the same tokens; and the LayerNorm's
 * centring is not applied, as the formula has none. Weight-only: no data, a matrix product per
 * batch of neurons.
 */
final class Decoding {
  private Decoding() {}

  /**
   * @param layers the layers whose neurons are decoded, in order
   * @param unitsPerBatch neurons per matrix product ({@code [n, d] × [d, vocab]})
   */
  record Options(List<Integer> layers, UnitDirection direction, boolean finalNorm, int topK, int unitsPerBatch) {}

  /** One neuron's top tokens, most probable first. */
  record Top(Unit unit, long[] ids, double[] probabilities) {}

  /**
   * @param norm what was applied before the unembedding: {@code rmsnorm gain}, {@code layernorm
   *     gain (bias not added)} or {@code none}
   */
  record Result(String unembedding, String norm, List<Top> units) {}

  static Result run(ModelSpec spec, TensorStore store, TensorBackend backend, String device, Options options,
      String where) {
    if (options.topK() < 1 || options.topK() > spec.vocab()) {
      throw new NeuriteException(where + ": top_k is " + options.topK() + "; give 1 to the vocabulary size ("
          + spec.vocab() + ").");
    }
    if (options.unitsPerBatch() < 1) {
      throw new NeuriteException(where + ": units_per_batch is " + options.unitsPerBatch() + "; give at least 1.");
    }
    for (int layer : options.layers()) {
      if (layer < 0 || layer >= spec.layers()) {
        throw new NeuriteException(where + ": layer " + layer + " is out of range; the model has layers 0 to "
            + (spec.layers() - 1) + " ([] = all).");
      }
    }
    Readout readout = Readout.of(spec, store.names());
    if (options.finalNorm() && readout.normGain().isEmpty()) {
      throw new NeuriteException(where + ": family " + spec.family() + " has no final norm before its unembedding ("
          + readout.unembedding() + "); give final_norm false.");
    }
    DataType type = spec.dtype().equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
    List<Top> out = new ArrayList<>();
    try (NDManager scope = backend.newScope(device)) {
      NDArray unembedding = readout.unembedding(spec, store, type, scope).transpose();
      Optional<NDArray> gain = options.finalNorm() ? readout.gain(spec, store, type, scope) : Optional.empty();
      for (int layer : options.layers()) {
        String hook = "blocks." + layer + ".mlp.hook_post";
        try (NDManager layerScope = scope.newSubManager()) {
          NDArray vectors = NeuronWeights.directions(spec, store, layer, options.direction(), type, layerScope);
          if (gain.isPresent()) {
            vectors = vectors.mul(gain.get());
          }
          for (int from = 0; from < spec.dMlp(); from += options.unitsPerBatch()) {
            int to = Math.min(spec.dMlp(), from + options.unitsPerBatch());
            try (NDManager chunk = layerScope.newSubManager()) {
              NDArray rows = vectors.get(from + ":" + to);
              rows.attach(chunk);
              NDArray p = rows.matMul(unembedding).softmax(1);
              NDList top = p.topK(options.topK(), 1, true, true);
              double[] values = top.get(0).toType(DataType.FLOAT64, false).toDoubleArray();
              long[] ids = top.get(1).toType(DataType.INT64, false).toLongArray();
              int k = options.topK();
              for (int u = from; u < to; u++) {
                int r = u - from;
                long[] unitIds = new long[k];
                double[] unitP = new double[k];
                System.arraycopy(ids, r * k, unitIds, 0, k);
                System.arraycopy(values, r * k, unitP, 0, k);
                out.add(new Top(new Unit(hook, u), unitIds, unitP));
              }
            }
          }
        }
      }
    }
    String norm = !options.finalNorm() ? "none" : readout.norm().equals("layernorm")
        ? "layernorm gain " + readout.normGain().get() + " (bias not added, no centring)"
        : readout.norm() + " gain " + readout.normGain().get();
    return new Result(readout.unembedding(), norm, out);
  }
}
