package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.ReferenceModel;
import org.neurite.models.reference.Result;
import org.neurite.models.reference.TinyCheckpoints;

/**
 * Every family and code path against the independent float64 reference of the Hugging Face
 * forward passes ({@code org.neurite.models.reference}), on tiny random checkpoints: logits, hidden
 * states, and per layer mlp.hook_pre, hook_pre_linear, hook_post and hook_resid_post. In float64
 * the two implementations agree to rounding; in float32 to 1e-4 of the values' scale (the tolerance
 * the Hugging Face comparison uses).
 */
class FamilyParityTest {
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  record Variant(String name, Function<Path, Path> checkpoint) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        new Variant("gpt2", d -> TinyCheckpoints.gpt2(d).seed(1).write()),
        new Variant("gpt2 unprefixed, 1/(layer+1) scaling, relu", d -> TinyCheckpoints.gpt2(d).seed(2).prefixed(false)
            .scaleAttnByInverseLayerIdx(true).activation("relu").write()),
        new Variant("llama GQA tied", d -> TinyCheckpoints.llama(d).seed(3).kvHeads(2).tied(true).write()),
        new Variant("llama GQA untied", d -> TinyCheckpoints.llama(d).seed(4).kvHeads(2).tied(false).write()),
        new Variant("llama rope llama3", d -> TinyCheckpoints.llama(d).seed(5).kvHeads(2).ropeScaling(
            "{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":16}").write()),
        new Variant("llama rope linear", d -> TinyCheckpoints.llama(d).seed(6).ropeScaling(
            "{\"rope_type\":\"linear\",\"factor\":2.0}").write()),
        new Variant("llama rope yarn", d -> TinyCheckpoints.llama(d).seed(7).ropeScaling(
            "{\"rope_type\":\"yarn\",\"factor\":4.0}").write()),
        new Variant("llama rope yarn: original length, factor as given, betas", d -> TinyCheckpoints.llama(d).seed(17)
            .headDim(16).maxPositions(4096).ropeScaling("{\"rope_type\":\"yarn\",\"factor\":8.0,"
                + "\"original_max_position_embeddings\":1024,\"beta_fast\":16,\"beta_slow\":2}").write()),
        new Variant("llama rope yarn: untruncated, mscales", d -> TinyCheckpoints.llama(d).seed(18).headDim(16)
            .maxPositions(4096).ropeScaling("{\"rope_type\":\"yarn\",\"factor\":8.0,"
                + "\"original_max_position_embeddings\":1024,\"truncate\":false,\"mscale\":1.0,"
                + "\"mscale_all_dim\":0.5}").write()),
        new Variant("llama rope_parameters (newer spelling) with its own theta", d -> TinyCheckpoints.llama(d).seed(19)
            .configEdits("{\"rope_scaling\":null,\"rope_theta\":null,\"rope_parameters\":{\"rope_type\":\"linear\","
                + "\"factor\":2.0,\"rope_theta\":500.0}}").write()),
        new Variant("llama rope_parameters yarn, top-level original length first", d -> TinyCheckpoints.llama(d)
            .seed(20).headDim(16).maxPositions(4096).configEdits("{\"rope_scaling\":null,\"original_max_position_embeddings\":"
                + "512,\"rope_parameters\":{\"rope_type\":\"yarn\",\"factor\":8.0,\"rope_theta\":1000.0,"
                + "\"original_max_position_embeddings\":2048}}").write()),
        new Variant("llama rope llama3, original length at the top level only", d -> TinyCheckpoints.llama(d).seed(21)
            .ropeScaling("{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0}")
            .configEdits("{\"original_max_position_embeddings\":16}").write()),
        new Variant("llama rope yarn, factor null: max over original", d -> TinyCheckpoints.llama(d).seed(22).headDim(16)
            .maxPositions(4096).ropeScaling("{\"type\":\"yarn\",\"factor\":null,\"original_max_position_embeddings\":1024,"
                + "\"beta_fast\":0,\"truncate\":null}").write()),
        new Variant("llama rope dynamic", d -> TinyCheckpoints.llama(d).seed(8).maxPositions(4).ropeScaling(
            "{\"rope_type\":\"dynamic\",\"factor\":2.0}").write()),
        new Variant("llama biases, head_dim, gelu", d -> TinyCheckpoints.llama(d).seed(9).attentionBias(true)
            .mlpBias(true).headDim(16).hiddenAct("gelu").write()),
        new Variant("llama BF16 sharded", d -> TinyCheckpoints.llama(d).seed(10).kvHeads(1).dtype("BF16")
            .sharded(true).write()),
        new Variant("llama F16", d -> TinyCheckpoints.llama(d).seed(11).dtype("F16").write()),
        new Variant("mistral sliding window", d -> TinyCheckpoints.mistral(d).seed(12).write()),
        new Variant("qwen2 untied", d -> TinyCheckpoints.qwen2(d).seed(13).tied(false).write()),
        new Variant("qwen2 sliding window from layer 1", d -> TinyCheckpoints.qwen2(d).seed(14).slidingWindow(3)
            .useSlidingWindow(true, 1).write()),
        new Variant("bert masked LM with pooler", d -> TinyCheckpoints.bert(d).seed(15).write()),
        new Variant("bert model, no head", d -> TinyCheckpoints.bert(d).seed(16).maskedLm(false).pooler(false).write()))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void float64AgreesWithTheReference(Variant variant) throws Exception {
    compare(variant, "float64", 1e-9);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void float32AgreesWithTheReference(Variant variant) throws Exception {
    compare(variant, "float32", 1e-4);
  }

  private void compare(Variant variant, String dtype, double tolerance) {
    Path folder = variant.checkpoint().apply(dir.resolve(variant.name().replaceAll("\\W+", "-") + "-" + dtype));
    ReferenceModel reference = ReferenceModel.load(folder);
    LanguageModel model = TestModels.load(repository, folder, dtype);
    long[] ids = TestModels.randomIds(variant.name().hashCode(), 7, model.spec().vocab());
    long[] types = {0, 0, 0, 1, 1, 1, 1};
    boolean encoder = !model.spec().causal();
    Result expected = encoder ? reference.run(ids, types) : reference.run(ids);
    TokenBatch batch = TokenBatch.single(ids);
    if (encoder) {
      batch = batch.withTokenTypes(List.of(types));
    }
    Hooks hooks = Hooks.none().record("blocks.*.mlp.hook_pre").record("blocks.*.mlp.hook_post")
        .record("blocks.*.hook_resid_post");
    if (model.spec().gatedMlp()) {
      hooks = hooks.record("blocks.*.mlp.hook_pre_linear");
    }
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      Forward forward = model.forward(batch, hooks, scope);
      check(variant, "hidden states", TestModels.rows(forward.hiddenStates(), 0, 0, ids.length),
          expected.lastHiddenState(), tolerance);
      assertEquals(expected.logits() != null, model.spec().hasLogits(), "a head exactly when the reference has one");
      if (expected.logits() != null) {
        check(variant, "logits", TestModels.rows(forward.logits(), 0, 0, ids.length), expected.logits(), tolerance);
      }
      if (expected.poolerOutput() != null) {
        double[] pooled = forward.output("pooler_output").orElseThrow().toType(ai.djl.ndarray.types.DataType.FLOAT64,
            false).toDoubleArray();
        check(variant, "pooler", new double[][] {pooled}, new double[][] {expected.poolerOutput()}, tolerance);
      }
      for (int l = 0; l < model.spec().layers(); l++) {
        Result.Layer layer = expected.layer(l);
        String b = "blocks." + l + ".";
        check(variant, b + "mlp.hook_pre", rows(forward, b + "mlp.hook_pre", ids.length), layer.pre(), tolerance);
        check(variant, b + "mlp.hook_post", rows(forward, b + "mlp.hook_post", ids.length), layer.post(), tolerance);
        check(variant, b + "hook_resid_post", rows(forward, b + "hook_resid_post", ids.length), layer.residPost(),
            tolerance);
        if (layer.preLinear() != null) {
          check(variant, b + "mlp.hook_pre_linear", rows(forward, b + "mlp.hook_pre_linear", ids.length),
              layer.preLinear(), tolerance);
        }
      }
    }
  }

  private static double[][] rows(Forward forward, String hook, int length) {
    return TestModels.rows(forward.recorded(hook), 0, 0, length);
  }

  private static void check(Variant variant, String what, double[][] ours, double[][] expected, double tolerance) {
    double relative = TestModels.relative(ours, expected);
    assertTrue(relative <= tolerance, variant + ": " + what + " differs from the reference by " + relative
        + " of its scale (tolerance " + tolerance + ")");
  }
}
