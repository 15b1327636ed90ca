package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.hook.HookFunction;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.ReferenceModel;
import org.neurite.models.reference.TinyCheckpoints;

/**
 * Facts that must hold whatever the weights: an ablation through a hook equals the same ablation
 * in the weights; hook gradients equal finite differences (in float64); a batch equals its
 * sequences run alone, at every real position, padded left or right.
 */
class SelfConsistencyTest {
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;
  private static Path llama;
  private static Path gpt2;
  private static Path mistral;
  private static Path bert;
  /** The families added after the first three, each with the Hugging Face name of its layer 1 down projection. */
  private static final java.util.Map<Path, String> LATER = new java.util.LinkedHashMap<>();

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
    llama = TinyCheckpoints.llama(dir.resolve("llama")).seed(21).kvHeads(2).write();
    gpt2 = TinyCheckpoints.gpt2(dir.resolve("gpt2")).seed(22).write();
    mistral = TinyCheckpoints.mistral(dir.resolve("mistral")).seed(23).write();
    bert = TinyCheckpoints.bert(dir.resolve("bert")).seed(24).write();
    LATER.put(TinyCheckpoints.qwen3(dir.resolve("qwen3")).seed(25).write(), "model.layers.1.mlp.down_proj.weight");
    LATER.put(TinyCheckpoints.gemma(dir.resolve("gemma")).seed(26).write(), "model.layers.1.mlp.down_proj.weight");
    LATER.put(TinyCheckpoints.gemma2(dir.resolve("gemma2")).seed(27).write(), "model.layers.1.mlp.down_proj.weight");
    LATER.put(TinyCheckpoints.gemma3(dir.resolve("gemma3")).seed(28).write(), "model.layers.1.mlp.down_proj.weight");
    LATER.put(TinyCheckpoints.phi3(dir.resolve("phi3")).seed(29).slidingWindow(3).write(),
        "model.layers.1.mlp.down_proj.weight");
    LATER.put(TinyCheckpoints.gptNeox(dir.resolve("gpt-neox")).seed(30).write(),
        "gpt_neox.layers.1.mlp.dense_4h_to_h.weight");
    LATER.put(TinyCheckpoints.gptNeox(dir.resolve("gpt-neox-sequential")).seed(31).parallelResidual(false).write(),
        "gpt_neox.layers.1.mlp.dense_4h_to_h.weight");
    LATER.put(TinyCheckpoints.opt(dir.resolve("opt")).seed(34).write(), "model.decoder.layers.1.fc2.weight");
    LATER.put(TinyCheckpoints.opt(dir.resolve("opt-post-norm-projected")).seed(33).layerNormBefore(false)
        .wordEmbedProjDim(16).write(), "model.decoder.layers.1.fc2.weight");
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  @Test
  void zeroingANeuronThroughAHookEqualsZeroingItsDownProjectionWeights() {
    int layer = 1;
    int neuron = 5;
    ablationMatches(llama, TinyCheckpoints.edit(llama, dir.resolve("llama-ablated"))
        .zeroColumn("model.layers.1.mlp.down_proj.weight", neuron).write(), layer, neuron);
    ablationMatches(gpt2, TinyCheckpoints.edit(gpt2, dir.resolve("gpt2-ablated"))
        .zeroRow("transformer.h.1.mlp.c_proj.weight", neuron).write(), layer, neuron);
    ablationMatches(bert, TinyCheckpoints.edit(bert, dir.resolve("bert-ablated"))
        .zeroColumn("bert.encoder.layer.1.output.dense.weight", neuron).write(), layer, neuron);
    LATER.forEach((folder, down) -> ablationMatches(folder, TinyCheckpoints.edit(folder,
        dir.resolve(folder.getFileName() + "-ablated")).zeroColumn(down, neuron).write(), layer, neuron));
  }

  private void ablationMatches(Path original, Path edited, int layer, int neuron) {
    LanguageModel model = TestModels.load(repository, original, "float64");
    LanguageModel weightsAblated = TestModels.load(repository, edited, "float64");
    TokenBatch batch = TokenBatch.single(TestModels.randomIds(7, 6, model.spec().vocab()));
    HookFunction zero = (name, value, b) -> {
      NDArray mask = value.onesLike();
      mask.set(new NDIndex(":, :, " + neuron), 0);
      return value.mul(mask);
    };
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Forward hooked = model.forward(batch, Hooks.none().replace("blocks." + layer + ".mlp.hook_post", zero), scope);
      Forward plain = model.forward(batch, Hooks.none(), scope);
      Forward edit = weightsAblated.forward(batch, Hooks.none(), scope);
      NDArray out = model.spec().hasLogits() ? hooked.logits() : hooked.hiddenStates();
      NDArray expected = model.spec().hasLogits() ? edit.logits() : edit.hiddenStates();
      NDArray unablated = model.spec().hasLogits() ? plain.logits() : plain.hiddenStates();
      double diff = out.sub(expected).abs().max().getDouble();
      double effect = unablated.sub(expected).abs().max().getDouble();
      assertTrue(diff < 1e-12, original.getFileName() + ": hook ablation differs from weight ablation by " + diff);
      assertTrue(effect > 1e-6, original.getFileName() + ": the neuron must matter for this test to mean anything");
    }
  }

  @Test
  void hookGradientsEqualFiniteDifferencesInFloat64() {
    for (Path folder : all()) {
      LanguageModel model = TestModels.load(repository, folder, "float64");
      ReferenceModel reference = ReferenceModel.load(folder);
      long[] ids = TestModels.randomIds(9, 6, model.spec().vocab());
      int last = ids.length - 1;
      int token = 3;
      double[][][] gradients = new double[model.spec().layers()][][];
      try (NDManager scope = TestBackend.get().newScope("cpu")) {
        Forward f = model.forward(TokenBatch.single(ids), Hooks.none().gradient("blocks.*.mlp.hook_post")
            .target(out -> out.logits().get(0, last, token)), scope);
        for (int l = 0; l < gradients.length; l++) {
          gradients[l] = TestModels.rows(f.gradient("blocks." + l + ".mlp.hook_post"), 0, 0, ids.length);
        }
      }
      Random random = new Random(5);
      double eps = 1e-5;
      for (int k = 0; k < 12; k++) {
        int l = random.nextInt(model.spec().layers());
        int t = random.nextInt(ids.length);
        int i = random.nextInt(model.spec().dMlp());
        double ours = (targetWith(model, ids, l, t, i, eps) - targetWith(model, ids, l, t, i, -eps)) / (2 * eps);
        double independent = (reference.run(ids, ReferenceModel.addAt(l, t, i, eps)).logits()[last][token]
            - reference.run(ids, ReferenceModel.addAt(l, t, i, -eps)).logits()[last][token]) / (2 * eps);
        double g = gradients[l][t][i];
        assertTrue(Math.abs(g - ours) <= 1e-6 * Math.max(1, Math.abs(ours)), folder.getFileName() + " grad at layer "
            + l + " pos " + t + " neuron " + i + ": hook gradient " + g + ", finite difference " + ours);
        assertTrue(Math.abs(g - independent) <= 1e-6 * Math.max(1, Math.abs(independent)), folder.getFileName()
            + ": hook gradient " + g + ", reference finite difference " + independent);
      }
    }
  }

  private static List<Path> all() {
    List<Path> all = new ArrayList<>(List.of(llama, gpt2, mistral, bert));
    all.addAll(LATER.keySet());
    return all;
  }

  private static double targetWith(LanguageModel model, long[] ids, int layer, int t, int i, double delta) {
    HookFunction nudge = (name, value, b) -> {
      NDArray d = value.zerosLike();
      d.set(new NDIndex("0, " + t + ", " + i), delta);
      return value.add(d);
    };
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Forward f = model.forward(TokenBatch.single(ids),
          Hooks.none().replace("blocks." + layer + ".mlp.hook_post", nudge), scope);
      return f.logits().getDouble(0, ids.length - 1, 3);
    }
  }

  @Test
  void batchEqualsSingleSequencesAtRealPositionsWithEitherPadding() {
    for (Path folder : all()) {
      LanguageModel model = TestModels.load(repository, folder, "float32");
      List<long[]> sequences = new ArrayList<>();
      int[] lengths = {9, 5, 1, 7};
      for (int s = 0; s < lengths.length; s++) {
        sequences.add(TestModels.randomIds(40 + s, lengths[s], model.spec().vocab()));
      }
      for (TokenBatch.Padding padding : TokenBatch.Padding.values()) {
        TokenBatch batch = TokenBatch.of(sequences, padding);
        String what = model.spec().family() + " " + folder.getFileName() + " " + padding;
        int token = 2;
        Hooks hooks = Hooks.none().record("blocks.*.mlp.hook_post").gradient("blocks.0.mlp.hook_post");
        try (NDManager scope = TestBackend.get().newScope("cpu")) {
          Forward all = model.forward(batch, hooks.target(f -> lastTokenLogits(f, token)), scope);
          for (int s = 0; s < sequences.size(); s++) {
            TokenBatch one = batch.singles().get(s);
            Forward alone = model.forward(one, hooks.target(f -> lastTokenLogits(f, token)), scope);
            int from = batch.firstReal(s);
            int n = lengths[s];
            same(what + " hidden", TestModels.rows(all.hiddenStates(), s, from, n),
                TestModels.rows(alone.hiddenStates(), 0, 0, n));
            for (int l = 0; l < model.spec().layers(); l++) {
              String hook = "blocks." + l + ".mlp.hook_post";
              same(what + " " + hook, TestModels.rows(all.recorded(hook), s, from, n),
                  TestModels.rows(alone.recorded(hook), 0, 0, n));
            }
            if (model.spec().hasLogits()) {
              same(what + " logits", TestModels.rows(all.logits(), s, from, n), TestModels.rows(alone.logits(), 0, 0, n));
            }
            same(what + " gradient", TestModels.rows(all.gradient("blocks.0.mlp.hook_post"), s, from, n),
                TestModels.rows(alone.gradient("blocks.0.mlp.hook_post"), 0, 0, n));
          }
        }
      }
    }
  }

  /** Each sequence's logit of {@code token} at its last real position, summed over the batch. */
  private static NDArray lastTokenLogits(Forward f, int token) {
    NDArray total = null;
    TokenBatch b = f.batch();
    for (int s = 0; s < b.size(); s++) {
      NDArray one = f.logits().get(s, b.lastReal(s), token);
      total = total == null ? one : total.add(one);
    }
    return total;
  }

  private static void same(String what, double[][] batch, double[][] single) {
    double relative = TestModels.relative(batch, single);
    assertTrue(relative < 1e-5, what + ": batch differs from the sequence alone by " + relative + " of its scale");
  }
}
