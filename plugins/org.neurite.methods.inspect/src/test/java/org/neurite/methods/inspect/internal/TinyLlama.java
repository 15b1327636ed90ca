package org.neurite.methods.inspect.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurite.support.safetensors.SafetensorsWriter;
import org.neurite.testbed.PlantedModel;

/**
 * The planted testbed's Llama folder (its config and word-level tokenizer: token {@code g1_3} is
 * word 3 of group 1) with weights of a test's own: every tensor Gaussian noise of a chosen scale,
 * norms 1, then changed by the test and written over the folder's {@code model.safetensors}.
 */
final class TinyLlama {
  final PlantedModel planted;
  final int d;
  final int dMlp;
  final int vocab;
  final int layers;
  final Map<String, long[]> shapes = new LinkedHashMap<>();
  final Map<String, float[]> tensors = new LinkedHashMap<>();

  TinyLlama(int dMlp, double scale, long seed) {
    this.planted = new PlantedModel().groups(3).wordsPerGroup(8).dMlp(dMlp).layers(2, 1).seed(seed);
    this.d = planted.dModel();
    this.dMlp = dMlp;
    this.vocab = planted.vocab();
    this.layers = 2;
    SplittableRandom random = new SplittableRandom(seed);
    add("model.embed_tokens.weight", scale, random, vocab, d);
    add("lm_head.weight", scale, random, vocab, d);
    ones("model.norm.weight", d);
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      ones(p + "input_layernorm.weight", d);
      ones(p + "post_attention_layernorm.weight", d);
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
        add(p + "self_attn." + proj + ".weight", scale, random, d, d);
      }
      add(p + "mlp.gate_proj.weight", scale, random, dMlp, d);
      add(p + "mlp.up_proj.weight", scale, random, dMlp, d);
      add(p + "mlp.down_proj.weight", scale, random, d, dMlp);
    }
  }

  private void add(String name, double scale, SplittableRandom random, int rows, int cols) {
    float[] values = new float[rows * cols];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian(random) * scale);
    }
    shapes.put(name, new long[] {rows, cols});
    tensors.put(name, values);
  }

  private void ones(String name, int n) {
    float[] values = new float[n];
    java.util.Arrays.fill(values, 1f);
    shapes.put(name, new long[] {n});
    tensors.put(name, values);
  }

  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** The token id of word w of group g. */
  int token(int g, int w) {
    return planted.tokenId(g, w);
  }

  /** Writes the folder: the testbed's config and tokenizer, these weights. */
  Path write(Path folder) throws IOException {
    planted.write(folder);
    SafetensorsWriter w = new SafetensorsWriter();
    tensors.forEach((name, values) -> w.add(name, shapes.get(name), values));
    w.write(folder.resolve("model.safetensors"));
    return folder;
  }
}
