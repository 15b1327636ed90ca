package org.neurite.analysis.weights;

/**
 * Which weight vector of an MLP neuron (unit i of {@code blocks.L.mlp.hook_post}) stands for it
 * in the residual stream's basis, each a vector of width d_model.
 */
public enum UnitDirection {
  /**
   * What the unit reads: Llama-style {@code mlp.up_proj.weight} row i (gated MLPs; Davies's
   * "up_proj neuron"), GPT-2 {@code mlp.c_fc.weight} column i (Conv1D, [d_model, d_mlp]), BERT
   * {@code intermediate.dense.weight} row i, GPT-NeoX {@code mlp.dense_h_to_4h.weight} row i.
   */
  INPUT,
  /** Gated MLPs only: the gate's row i ({@code mlp.gate_proj.weight}), what the unit's activation reads. */
  GATE,
  /**
   * What the unit writes: Llama-style {@code mlp.down_proj.weight} column i, GPT-2
   * {@code mlp.c_proj.weight} row i (Conv1D, [d_mlp, d_model]), BERT {@code output.dense.weight}
   * column i, GPT-NeoX {@code mlp.dense_4h_to_h.weight} column i.
   */
  OUTPUT
}
