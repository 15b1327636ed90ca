package org.neurite.models.reference;

import java.nio.file.Path;

/**
 * An independent float64 reference of the Hugging Face {@code transformers} forward pass, for
 * checking Neurite's models: plain loops over weights read from a model folder, one unpadded
 * sequence at a time with position ids 0..T-1, no dropout. Families by config.json model_type:
 * gpt2; llama, mistral, qwen2, qwen3; gemma, gemma2, gemma3_text; phi3; gpt_neox; opt; bert.
 *
 * <pre>{@code
 * ReferenceModel ref = ReferenceModel.load(folder);
 * Result r = ref.run(new long[] {5, 17, 3});
 * double[][] logits = r.logits();
 * double[][] post0 = r.layer(0).post();
 * Result nudged = ref.run(ids, ReferenceModel.addAt(1, 2, 7, 1e-6));
 * }</pre>
 */
public final class ReferenceModel {
  /**
   * Replaces hook_post of a layer before it enters the down projection, by changing the array in
   * place. {@code post} is [T][mlpWidth].
   */
  @FunctionalInterface
  public interface PostOverride {
    void apply(int layer, double[][] post);

    /** No change. */
    static PostOverride none() {
      return (layer, post) -> { };
    }
  }

  private final String modelType;
  private final FamilyForward family;

  private ReferenceModel(String modelType, FamilyForward family) {
    this.modelType = modelType;
    this.family = family;
  }

  /** Reads config.json and every weight of a Hugging Face folder (F32/F16/BF16/F64, single or sharded). */
  public static ReferenceModel load(Path folder) {
    HfConfig config = new HfConfig(Weights.readJson(folder.resolve(CheckpointFiles.CONFIG)));
    Weights weights = Weights.load(folder);
    String type = config.string("model_type");
    FamilyForward family = switch (type) {
      case "gpt2" -> new Gpt2Reference(config, weights);
      case "llama", "mistral", "qwen2", "qwen3" -> new LlamaReference(config, weights);
      case "gemma", "gemma2", "gemma3_text" -> new GemmaReference(config, weights);
      case "phi3" -> new Phi3Reference(config, weights);
      case "gpt_neox" -> new GptNeoxReference(config, weights);
      case "opt" -> new OptReference(config, weights);
      case "bert" -> new BertReference(config, weights);
      default -> throw new IllegalArgumentException("model_type " + type + " has no reference implementation");
    };
    return new ReferenceModel(type, family);
  }

  /** Runs one sequence. */
  public Result run(long[] ids) {
    return run(ids, null, PostOverride.none());
  }

  /** Runs one BERT sequence with token type ids (null for all zeros). */
  public Result run(long[] ids, long[] tokenTypes) {
    return run(ids, tokenTypes, PostOverride.none());
  }

  /** Runs one sequence, letting {@code override} change each layer's hook_post. */
  public Result run(long[] ids, PostOverride override) {
    return run(ids, null, override);
  }

  /** Runs one sequence with token types and an override of hook_post. */
  public Result run(long[] ids, long[] tokenTypes, PostOverride override) {
    if (ids.length == 0) {
      throw new IllegalArgumentException("the sequence is empty");
    }
    return family.forward(ids, tokenTypes, override);
  }

  /** An override adding {@code delta} to hook_post[position][neuron] of one layer. */
  public static PostOverride addAt(int layer, int position, int neuron, double delta) {
    return (l, post) -> {
      if (l == layer) {
        post[position][neuron] += delta;
      }
    };
  }

  /** An override zeroing neuron {@code neuron} of one layer at every position. */
  public static PostOverride zeroNeuron(int layer, int neuron) {
    return (l, post) -> {
      if (l == layer) {
        for (double[] row : post) {
          row[neuron] = 0.0;
        }
      }
    };
  }

  /** Softmax of one row of logits. */
  public static double[] softmax(double[] logits) {
    return RefMath.softmax(logits);
  }

  /** log softmax of one row of logits (log-sum-exp shifted by the maximum). */
  public static double[] logSoftmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : logits) {
      sum += Math.exp(v - max);
    }
    double log = max + Math.log(sum);
    double[] out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = logits[i] - log;
    }
    return out;
  }

  /** config.json's model_type. */
  public String modelType() {
    return modelType;
  }

  /** The number of layers. */
  public int layers() {
    return family.sizes().layers();
  }

  /** The residual width d. */
  public int hiddenSize() {
    return family.sizes().hiddenSize();
  }

  /** The MLP's hidden width: the width of hook_pre and hook_post. */
  public int mlpWidth() {
    return family.sizes().mlpWidth();
  }

  /** vocab_size. */
  public int vocabSize() {
    return family.sizes().vocabSize();
  }

  /** Whether the MLP is gated, so that hook_pre_linear exists. */
  public boolean gated() {
    return family.sizes().gated();
  }
}
