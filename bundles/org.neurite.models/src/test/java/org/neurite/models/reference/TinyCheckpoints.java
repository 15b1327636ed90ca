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

  /** A Qwen3ForCausalLM checkpoint in {@code dir} (q_norm / k_norm, head_dim 16 independent of hidden / heads). */
  public static Qwen3Checkpoint qwen3(Path dir) {
    return new Qwen3Checkpoint(dir);
  }

  /** A GemmaForCausalLM checkpoint in {@code dir} (GeGLU, scaled embeddings, 1 + w norms, tied). */
  public static GemmaCheckpoint gemma(Path dir) {
    return new GemmaCheckpoint(dir, GemmaCheckpoint.Flavor.GEMMA);
  }

  /** A Gemma2ForCausalLM checkpoint in {@code dir} (four norms per layer, softcaps, sliding window 3 on even layers). */
  public static GemmaCheckpoint gemma2(Path dir) {
    return new GemmaCheckpoint(dir, GemmaCheckpoint.Flavor.GEMMA2);
  }

  /** A text-only Gemma3ForCausalLM checkpoint in {@code dir} (model_type gemma3_text; q/k norms, local and global rope). */
  public static GemmaCheckpoint gemma3(Path dir) {
    return new GemmaCheckpoint(dir, GemmaCheckpoint.Flavor.GEMMA3);
  }

  /** A Phi3ForCausalLM checkpoint in {@code dir} (fused qkv_proj and gate_up_proj). */
  public static Phi3Checkpoint phi3(Path dir) {
    return new Phi3Checkpoint(dir);
  }

  /** A GPTNeoXForCausalLM checkpoint in {@code dir} (head-interleaved query_key_value, partial rotary, parallel residual). */
  public static GptNeoxCheckpoint gptNeox(Path dir) {
    return new GptNeoxCheckpoint(dir);
  }

  /** An OPTForCausalLM checkpoint in {@code dir} (learned positions with offset 2, tied head). */
  public static OptCheckpoint opt(Path dir) {
    return new OptCheckpoint(dir);
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
