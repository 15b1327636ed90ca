package org.neurite.models.reference;

import java.util.List;

/**
 * What one reference forward pass computed, all in float64 and indexed [position][feature].
 *
 * @param logits [T][vocab]; null for a BERT without MLM head; Gemma 2/3 after final_logit_softcapping
 * @param lastHiddenState [T][d]: decoders after the final norm, BERT the last layer's output; OPT with a
 *     word_embed_proj_dim other than hidden_size after project_out, [T][word_embed_proj_dim], as HF's is
 * @param poolerOutput [d] = tanh(dense(h[0])) for a BERT with a pooler; otherwise null
 * @param embeddings [T][d]: the input to layer 0 (HF's hidden_states[0])
 * @param layers one entry per layer
 */
public record Result(double[][] logits, double[][] lastHiddenState, double[] poolerOutput, double[][] embeddings,
    List<Layer> layers) {

  /**
   * One layer's MLP hooks and output.
   *
   * @param pre the MLP's first projection before the activation (GPT-2/BERT fc output, Llama gate_proj,
   *     GPT-NeoX dense_h_to_4h, OPT fc1, Phi-3 the gate half of gate_up_proj)
   * @param preLinear the up_proj output of gated MLPs (Phi-3 the up half of gate_up_proj); null for GPT-2,
   *     BERT, GPT-NeoX and OPT
   * @param post what enters the down projection: act(pre), or act(gate) * up; after any override
   * @param residPost the block's output
   */
  public record Layer(double[][] pre, double[][] preLinear, double[][] post, double[][] residPost) {}

  /** Layer {@code l}. */
  public Layer layer(int l) {
    return layers.get(l);
  }
}
