package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Overriding hook_post: linear effects, finite differences, and ablation by weights. */
class HookOverrideTest {
  @TempDir
  Path tmp;

  private Path write(String family) {
    Path dir = tmp.resolve(family);
    return switch (family) {
      case "gpt2" -> TinyCheckpoints.gpt2(dir).seed(91).write();
      case "llama" -> TinyCheckpoints.llama(dir).seed(91).write();
      case "mistral" -> TinyCheckpoints.mistral(dir).seed(91).write();
      case "qwen2" -> TinyCheckpoints.qwen2(dir).seed(91).write();
      case "bert" -> TinyCheckpoints.bert(dir).seed(91).write();
      default -> throw new IllegalArgumentException(family);
    };
  }

  /** hook_post feeds the down projection linearly: resid_post moves by delta times one weight column. */
  @Test
  void nudgingOneNeuronMovesTheResidualAlongItsDownProjection() {
    long[] ids = RefAssert.ids(1, 6, 101);
    double delta = 1e-3;
    Path llama = write("llama");
    ReferenceModel m = ReferenceModel.load(llama);
    Result base = m.run(ids);
    Result nudged = m.run(ids, ReferenceModel.addAt(1, 3, 7, delta));
    double[][] down = Weights.load(llama).matrix("model.layers.1.mlp.down_proj.weight", 32, 48);
    assertEquals(base.layer(1).post()[3][7] + delta, nudged.layer(1).post()[3][7], 1e-15);
    for (int t = 0; t < 6; t++) {
      for (int d = 0; d < 32; d++) {
        double expected = t == 3 ? delta * down[d][7] : 0.0;
        assertEquals(expected, nudged.layer(1).residPost()[t][d] - base.layer(1).residPost()[t][d], 1e-14);
      }
    }
    assertEquals(0.0, RefAssert.maxDiff(base.layer(0).residPost(), nudged.layer(0).residPost()));

    Path gpt2 = write("gpt2");
    ReferenceModel g = ReferenceModel.load(gpt2);
    Result gBase = g.run(ids);
    Result gNudged = g.run(ids, ReferenceModel.addAt(0, 2, 5, delta));
    double[][] proj = Weights.load(gpt2).matrix("transformer.h.0.mlp.c_proj.weight", 128, 32);
    for (int d = 0; d < 32; d++) {
      assertEquals(delta * proj[5][d], gNudged.layer(0).residPost()[2][d] - gBase.layer(0).residPost()[2][d], 1e-14);
    }
  }

  /** Central differences at two step sizes agree, and the effect is causal in decoders. */
  @ParameterizedTest
  @CsvSource({"gpt2", "llama", "qwen2", "bert"})
  void finiteDifferencesAreConsistent(String family) {
    ReferenceModel m = ReferenceModel.load(write(family));
    long[] ids = RefAssert.ids(2, 5, 101);
    int layer = 0;
    int pos = 2;
    int neuron = 3;
    int target = 4;
    int vocab = 17;
    double g1 = derivative(m, ids, layer, pos, neuron, target, vocab, 1e-3);
    double g2 = derivative(m, ids, layer, pos, neuron, target, vocab, 1e-4);
    assertTrue(Math.abs(g1) > 1e-6, "the neuron reaches the logit: " + g1);
    assertEquals(g1, g2, 1e-6 + 1e-4 * Math.abs(g1));
    if (!family.equals("bert")) {
      assertEquals(0.0, derivative(m, ids, layer, pos, neuron, 1, vocab, 1e-3), 0.0, "earlier positions cannot see it");
    }
  }

  private static double derivative(ReferenceModel m, long[] ids, int layer, int pos, int neuron, int target, int v,
      double eps) {
    double up = m.run(ids, ReferenceModel.addAt(layer, pos, neuron, eps)).logits()[target][v];
    double down = m.run(ids, ReferenceModel.addAt(layer, pos, neuron, -eps)).logits()[target][v];
    return (up - down) / (2 * eps);
  }

  /** Zeroing neuron i through the hook equals zeroing its input to the down projection in the weights. */
  @ParameterizedTest
  @CsvSource({
      "llama, model.layers.1.mlp.down_proj.weight, column",
      "mistral, model.layers.1.mlp.down_proj.weight, column",
      "qwen2, model.layers.1.mlp.down_proj.weight, column",
      "gpt2, transformer.h.1.mlp.c_proj.weight, row",
      "bert, bert.encoder.layer.1.output.dense.weight, column"})
  void zeroingANeuronEqualsZeroingItsWeights(String family, String tensor, String axis) {
    Path src = write(family);
    int neuron = 11;
    CheckpointEditor e = TinyCheckpoints.edit(src, tmp.resolve(family + "-ablated"));
    Path ablated = (axis.equals("row") ? e.zeroRow(tensor, neuron) : e.zeroColumn(tensor, neuron)).write();
    long[] ids = RefAssert.ids(3, 7, 101);
    ReferenceModel m = ReferenceModel.load(src);
    Result hooked = m.run(ids, ReferenceModel.zeroNeuron(1, neuron));
    Result weighted = ReferenceModel.load(ablated).run(ids);
    assertEquals(0.0, RefAssert.maxDiff(hooked.logits(), weighted.logits()));
    for (double[] row : hooked.layer(1).post()) {
      assertEquals(0.0, row[neuron]);
    }
    assertTrue(RefAssert.maxDiff(m.run(ids).logits(), hooked.logits()) > 1e-6, "the neuron mattered");
  }
}
