package org.neurite.models.reference;

import java.nio.file.Path;

/**
 * Tiny random Hugging Face checkpoints for tests: each method returns a builder that writes
 * config.json and safetensors weights laid out as {@code save_pretrained} lays them out.
 *
 * <pre>{@code
 * Path llama = TinyCheckpoints.llama(dir).seed(3).kvHeads(2).tied(false)
 *     .ropeScaling("{\"rope_type\":\"linear\",\"factor\":2.0}").dtype("BF16").sharded(true).write();
 * Path ablated = TinyCheckpoints.edit(llama, other).zeroColumn("model.layers.0.mlp.down_proj.weight", 5).write();
 * }</pre>
 */
public final class TinyCheckpoints {
  private TinyCheckpoints() {}

  /** A GPT2LMHeadModel checkpoint in {@code dir}. */
  public static Gpt2Checkpoint gpt2(Path dir) {
    return new Gpt2Checkpoint(dir);
  }

  /** A LlamaForCausalLM checkpoint in {@code dir}. */
  public static LlamaCheckpoint llama(Path dir) {
    return new LlamaCheckpoint(dir, LlamaCheckpoint.Flavor.LLAMA);
  }

  /** A MistralForCausalLM checkpoint in {@code dir} (sliding_window 4). */
  public static LlamaCheckpoint mistral(Path dir) {
    return new LlamaCheckpoint(dir, LlamaCheckpoint.Flavor.MISTRAL);
  }

  /** A Qwen2ForCausalLM checkpoint in {@code dir} (q/k/v biases, use_sliding_window false). */
  public static LlamaCheckpoint qwen2(Path dir) {
    return new LlamaCheckpoint(dir, LlamaCheckpoint.Flavor.QWEN2);
  }

  /** A BertForMaskedLM checkpoint in {@code dir} ({@code maskedLm(false)} for the BertModel layout). */
  public static BertCheckpoint bert(Path dir) {
    return new BertCheckpoint(dir);
  }

  /** A modified copy of the checkpoint in {@code source}, to be written to {@code target}. */
  public static CheckpointEditor edit(Path source, Path target) {
    return new CheckpointEditor(source, target);
  }
}
