package org.neurite.api.generate;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link org.neurite.api.model.LanguageModel#generate}: one {@link Generated} per
 * prompt, in order, and the values {@link org.neurite.api.hook.Hooks#record(String)} kept, each with
 * the decoding step it was made in. The arrays live in the scope passed to {@code generate}.
 */
public record Generation(List<Generated> sequences, List<Recorded> recorded) {
  /**
   * A value recorded during generation.
   *
   * @param step the decoding step (0: the prompt pass, n: the n-th generated token)
   * @param value [prompts, positions of that step, ...] as the hook point's shape says
   */
  public record Recorded(int step, String hookName, NDArray value) {
    public Recorded {
      Objects.requireNonNull(hookName, "hookName");
      Objects.requireNonNull(value, "value");
    }
  }

  public Generation {
    sequences = List.copyOf(sequences);
    recorded = List.copyOf(recorded);
  }

  /** The values recorded at {@code hookName}, in step order. */
  public List<Recorded> recorded(String hookName) {
    return recorded.stream().filter(r -> r.hookName().equals(hookName)).toList();
  }
}
