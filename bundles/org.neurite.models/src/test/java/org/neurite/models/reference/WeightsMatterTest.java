package org.neurite.models.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every stored tensor reaches the outputs, so the reference cannot silently skip a weight, except
 * BERT's key bias: without rotary embeddings a bias shared by all keys adds the same amount to every
 * score of a query, which softmax cancels (true of the Hugging Face model as well). With RoPE the
 * key bias is rotated differently at each position, so Qwen2's and Llama's k_proj.bias do count.
 */
class WeightsMatterTest {
  @TempDir
  Path tmp;

  private static Path write(String family, Path dir) {
    return switch (family) {
      case "gpt2" -> TinyCheckpoints.gpt2(dir).seed(81).write();
      case "llama" -> TinyCheckpoints.llama(dir).seed(81).attentionBias(true).mlpBias(true).write();
      case "mistral" -> TinyCheckpoints.mistral(dir).seed(81).write();
      case "qwen2" -> TinyCheckpoints.qwen2(dir).seed(81).write();
      case "bert" -> TinyCheckpoints.bert(dir).seed(81).write();
      default -> throw new IllegalArgumentException(family);
    };
  }

  private static double change(Result a, Result b) {
    double d = RefAssert.maxDiff(a.logits(), b.logits());
    if (a.poolerOutput() != null) {
      d = Math.max(d, RefAssert.maxDiff(a.poolerOutput(), b.poolerOutput()));
    }
    return d;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "mistral", "qwen2", "bert"})
  void perturbingAnyTensorChangesTheOutputs(String family) {
    Path src = write(family, tmp.resolve("src"));
    long[] ids = RefAssert.ids(9, 6, 101);
    Result base = ReferenceModel.load(src).run(ids);
    int i = 0;
    for (String name : Weights.load(src).names()) {
      Random noise = new Random(i);
      Path edited = TinyCheckpoints.edit(src, tmp.resolve("e" + i++)).tensor(name, (shape, values) -> {
        for (int k = 0; k < values.length; k++) {
          values[k] += noise.nextGaussian() * 0.3;
        }
        return new CheckpointEditor.Replacement(shape, values);
      }).write();
      double d = change(base, ReferenceModel.load(edited).run(ids));
      boolean keyBias = name.endsWith("attention.self.key.bias");
      assertTrue(keyBias ? d < 1e-12 : d > 1e-6, name + " changed the outputs by " + d);
    }
  }
}
