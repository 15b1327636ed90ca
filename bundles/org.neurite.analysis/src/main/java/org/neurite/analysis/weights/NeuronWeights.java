package org.neurite.analysis.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSpec;

/**
 * Which weights carry an MLP neuron's output: the slice of the down projection that reads unit i
 * of {@code blocks.L.mlp.hook_post}. Scaling that slice by f equals scaling the neuron's activation
 * by f, for every family: Llama-style {@code mlp.down_proj.weight} [d_model, d_mlp] column i,
 * GPT-2 {@code mlp.c_proj.weight} [d_mlp, d_model] (Conv1D) row i, BERT {@code output.dense.weight}
 * [d_model, d_mlp] column i.
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
}
