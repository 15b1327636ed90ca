package org.neurite.models.reference;

import java.util.List;

/**
 * What one reference forward pass computed, all in float64 and indexed [position][feature].
 *
 * @param logits [T][vocab]; null for a BERT without MLM head
 * @param lastHiddenState [T][d]: decoders after the final norm, BERT the last layer's output
 * @param poolerOutput [d] = tanh(dense(h[0])) for a BERT with a pooler; otherwise null
 * @param embeddings [T][d]: the input to layer 0 (HF's hidden_states[0])
 * @param layers one entry per layer
 */
public record Result(double[][] logits, double[][] lastHiddenState, double[] poolerOutput, double[][] embeddings,
    List<Layer> layers) {

  /**
   * One layer's MLP hooks and output.
   *
   * @param pre the MLP's first projection before the activation (GPT-2/BERT fc output, Llama gate_proj)
   * @param preLinear the up_proj output of gated MLPs; null for GPT-2 and BERT
   * @param post what enters the down projection: act(pre), or act(gate) * up; after any override
   * @param residPost the block's output
   */
  public record Layer(double[][] pre, double[][] preLinear, double[][] post, double[][] residPost) {}

  /** Layer {@code l}. */
  public Layer layer(int l) {
    return layers.get(l);
  }
}
