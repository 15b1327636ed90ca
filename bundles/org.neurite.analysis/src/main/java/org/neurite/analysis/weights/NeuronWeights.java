package org.neurite.analysis.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TensorStore;

/**
 * Which weights carry an MLP neuron's output: the slice of the down projection that reads unit i
 * of {@code blocks.L.mlp.hook_post}. Scaling that slice by f equals scaling the neuron's activation
 * by f, for every family: Llama-style {@code mlp.down_proj.weight} [d_model, d_mlp] column i,
 * GPT-2 {@code mlp.c_proj.weight} [d_mlp, d_model] (Conv1D) row i, BERT {@code output.dense.weight}
 * [d_model, d_mlp] column i. {@link #directions} reads every neuron's input or output vector of a
 * layer in the residual stream's basis, for weight-only methods (vocabulary decoding).
 */
public final class NeuronWeights {
  private NeuronWeights() {}

  /**
   * The edit that scales the output of the given neurons of {@code blocks.L.mlp.hook_post}.
   *
   * @param names the checkpoint's tensor names (prefixed or not: {@code transformer.}, {@code bert.})
   * @throws NeuriteException for another hook point, or a family whose layout is not known
   */
  public static WeightEdit outputOf(ModelSpec spec, Set<String> names, String hook, int[] units, double factor) {
    String[] parts = hook.split("\\.");
    if (parts.length != 4 || !parts[0].equals("blocks") || !hook.endsWith(".mlp.hook_post")) {
      throw new NeuriteException("Weight edits of neurons address blocks.L.mlp.hook_post; '" + hook + "' is another"
          + " hook point. Use an intervention (intervene) for other hook points.");
    }
    String layer = parts[1];
    List<String> suffixes = new ArrayList<>();
    int axis;
    switch (spec.family()) {
      case "llama" -> {
        suffixes.add("layers." + layer + ".mlp.down_proj.weight");
        axis = 1;
      }
      case "gpt2" -> {
        suffixes.add("h." + layer + ".mlp.c_proj.weight");
        axis = 0;
      }
      case "bert" -> {
        suffixes.add("encoder.layer." + layer + ".output.dense.weight");
        axis = 1;
      }
      default -> throw new NeuriteException("Neurite does not know which weights carry the MLP neurons of family "
          + spec.family() + "; weight edits support llama, gpt2 and bert.");
    }
    String tensor = names.stream().filter(n -> suffixes.stream().anyMatch(s -> n.equals(s) || n.endsWith("." + s)))
        .findFirst().orElseThrow(() -> new NeuriteException("The checkpoint has no tensor ending in " + suffixes
            + " for " + hook + "."));
    return new WeightEdit(tensor, axis, units, factor);
  }

  /**
   * Every neuron's vector of one layer, one row per unit of {@code blocks.L.mlp.hook_post}: [d_mlp,
   * d_model] in {@code type}, in {@code manager}. See {@link UnitDirection} for which tensor each
   * family's vectors come from; Conv1D (GPT-2) and [d_model, d_mlp] tensors are transposed.
   *
   * @throws NeuriteException for a layer out of range, {@link UnitDirection#GATE} on an MLP without a
   *     gate, or a family whose layout is not known
   */
  public static NDArray directions(ModelSpec spec, TensorStore store, int layer, UnitDirection direction, DataType type,
      NDManager manager) {
    if (layer < 0 || layer >= spec.layers()) {
      throw new NeuriteException("Layer " + layer + " is out of range: the model has layers 0 to " + (spec.layers() - 1)
          + ".");
    }
    if (direction == UnitDirection.GATE && !spec.gatedMlp()) {
      throw new NeuriteException("Family " + spec.family() + " has no gated MLP, so its neurons have no gate weights;"
          + " read input or output.");
    }
    String l = String.valueOf(layer);
    String suffix;
    boolean unitsInRows;
    switch (spec.family()) {
      case "llama" -> {
        suffix = "layers." + l + (direction == UnitDirection.INPUT ? ".mlp.up_proj.weight"
            : direction == UnitDirection.GATE ? ".mlp.gate_proj.weight" : ".mlp.down_proj.weight");
        unitsInRows = direction != UnitDirection.OUTPUT;
      }
      case "gpt2" -> {
        suffix = "h." + l + (direction == UnitDirection.INPUT ? ".mlp.c_fc.weight" : ".mlp.c_proj.weight");
        unitsInRows = direction == UnitDirection.OUTPUT;
      }
      case "gpt_neox" -> {
        suffix = "layers." + l + (direction == UnitDirection.INPUT ? ".mlp.dense_h_to_4h.weight"
            : ".mlp.dense_4h_to_h.weight");
        unitsInRows = direction == UnitDirection.INPUT;
      }
      case "bert" -> {
        suffix = "encoder.layer." + l + (direction == UnitDirection.INPUT ? ".intermediate.dense.weight"
            : ".output.dense.weight");
        unitsInRows = direction == UnitDirection.INPUT;
      }
      default -> throw new NeuriteException("Neurite does not know which weights carry the MLP neurons of family "
          + spec.family() + "; reading neuron weights supports llama, gpt2, gpt_neox and bert.");
    }
    String tensor = Readout.find(store.names(), spec, suffix);
    long[] shape = unitsInRows ? new long[] {spec.dMlp(), spec.dModel()} : new long[] {spec.dModel(), spec.dMlp()};
    NDArray w = store.load(tensor, shape, type, manager);
    if (unitsInRows) {
      return w;
    }
    NDArray rows = w.transpose();
    w.close();
    return rows;
  }
}
