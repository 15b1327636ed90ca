package org.neurite.api.model;

import java.util.List;
import java.util.Optional;

/**
 * What a loaded model is: its family and sizes, whether it is causal, and every hook point with
 * its shape.
 *
 * @param family {@code gpt2}, {@code llama}, {@code bert}
 * @param architecture the config's first architecture, e.g. {@code Qwen2ForCausalLM}
 * @param causal true for decoders (each position sees only earlier ones)
 * @param layers transformer blocks
 * @param dModel residual stream width
 * @param dMlp MLP neurons per block: the width of {@code blocks.L.mlp.hook_post}
 * @param heads query heads per block
 * @param kvHeads key/value heads per block (fewer than {@code heads} with grouped-query attention)
 * @param dHead width of one head
 * @param vocab vocabulary size
 * @param maxPositions longest sequence the model takes
 * @param gatedMlp true for GLU MLPs (SwiGLU): {@code hook_post = act(gate) * up}
 * @param hasLogits true if the model has a language-model head
 * @param dtype the compute type of its weights
 * @param storedDtype how its weights are stored: the config's {@code dtype} or {@code torch_dtype}, else
 *     the checkpoint's type ({@code bfloat16}, {@code float16}, {@code float32}, {@code float64})
 * @param hookPoints every hook point, in forward order
 */
public record ModelSpec(
    String family, String architecture, boolean causal, int layers, int dModel, int dMlp, int heads, int kvHeads,
    int dHead, int vocab, int maxPositions, boolean gatedMlp, boolean hasLogits, String dtype,
    String storedDtype, List<HookPoint> hookPoints) {

  public ModelSpec {
    hookPoints = List.copyOf(hookPoints);
  }

  /** A hook point by exact name. */
  public Optional<HookPoint> hookPoint(String name) {
    return hookPoints.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** One line for listings: {@code llama 4 layers, d_model 64, d_mlp 128, 4/2 heads, vocab 1000}. */
  public String summary() {
    return family + " " + layers + " layers, d_model " + dModel + ", d_mlp " + dMlp + ", "
        + (kvHeads == heads ? heads + " heads" : heads + "/" + kvHeads + " heads") + ", vocab " + vocab
        + (causal ? ", causal" : ", encoder") + ", " + dtype
        + (storedDtype.equals(dtype) ? "" : " (stored as " + storedDtype + ")");
  }
}
