package org.neurite.analysis.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.analysis.batch.Batches;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;

/**
 * For encoders (no next-token loss): how far an intervention moves each example's sentence
 * embedding, the mean of the last hidden states over its real tokens, as a cosine distance
 * {@code 1 - cos(base, intervened)}; the mean per group. 0 means unchanged.
 */
public final class EmbeddingShift {
  private final TensorBackend backend;
  private final String device;
  private final Map<String, double[]> totals = new TreeMap<>();

  public EmbeddingShift(TensorBackend backend, String device) {
    this.backend = backend;
    this.device = device;
  }

  /** Adds one batch: the distance of each example's embedding under {@code changed} from {@code base}. */
  public void add(LanguageModel base, LanguageModel changed, Batches.Batch batch) {
    try (NDManager scope = backend.newScope(device)) {
      add(embed(base, batch, scope), changed, batch);
    }
  }

  /**
   * Adds one batch against base embeddings computed once ({@link #embed}), so that several
   * interventions are compared with one base pass.
   *
   * @param base [batch, d_model] float64, from {@link #embed} on the base model
   */
  public void add(NDArray base, LanguageModel changed, Batches.Batch batch) {
    try (NDManager scope = backend.newScope(device)) {
      NDArray a = base;
      NDArray b = embed(changed, batch, scope);
      double[] cos = a.mul(b).sum(new int[] {1}).div(a.norm(new int[] {1}).mul(b.norm(new int[] {1})).maximum(1e-12))
          .toDoubleArray();
      for (int i = 0; i < cos.length; i++) {
        String group = batch.examples().get(i).group();
        double[] t = totals.computeIfAbsent(group == null ? "" : group, g -> new double[2]);
        t[0] += 1 - cos[i];
        t[1] += 1;
      }
    }
  }

  /** The mean distance of a group (NaN if it had no example). */
  public double shift(String group) {
    double[] t = totals.get(group);
    return t == null || t[1] == 0 ? Double.NaN : t[0] / t[1];
  }

  public Iterable<String> groups() {
    return totals.keySet();
  }

  /** The sentence embeddings of a batch, [batch, d_model] float64, in {@code scope}. */
  public static NDArray embed(LanguageModel model, Batches.Batch batch, NDManager scope) {
    NDArray hidden = model.forward(batch.tokens(), Hooks.none(), scope).hiddenStates().toType(DataType.FLOAT64, false);
    NDArray mask = scope.create(batch.tokens().mask(), new Shape(batch.tokens().size(), batch.tokens().length(), 1))
        .toType(DataType.FLOAT64, false);
    return hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));
  }
}
