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
 * states, and per layer mlp.hook_pre, hook_pre_linear, hook_post and hook_resid_post, for the sequence
 * alone and, for decoders, in right- and left-padded batches with a shorter one (logits, hidden states
 * and hook_post at every real position). In float64 the two implementations agree to rounding
 * (1e-9 of the values' scale); in float32 to 1e-5.
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
        new Variant("bert model, no head", d -> TinyCheckpoints.bert(d).seed(16).maskedLm(false).pooler(false).write()),
        new Variant("qwen3", d -> TinyCheckpoints.qwen3(d).seed(50).write()),
        new Variant("qwen3 tied, attention biases, MHA", d -> TinyCheckpoints.qwen3(d).seed(51).tied(true).attentionBias(true)
            .kvHeads(4).write()),
        new Variant("qwen3 sliding window from layer 1", d -> TinyCheckpoints.qwen3(d).seed(52).useSlidingWindow(true, 1)
            .write()),
        new Variant("qwen3 rope yarn", d -> TinyCheckpoints.qwen3(d).seed(53).ropeScaling(
            "{\"rope_type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":32}").write()),
        new Variant("gemma", d -> TinyCheckpoints.gemma(d).seed(54).write()),
        new Variant("gemma untied, MQA, head_dim 8", d -> TinyCheckpoints.gemma(d).seed(55).tied(false).kvHeads(1).headDim(8)
            .write()),
        new Variant("gemma2 even layers slide, softcaps", d -> TinyCheckpoints.gemma2(d).seed(56).write()),
        new Variant("gemma2 layer_types, no softcaps", d -> TinyCheckpoints.gemma2(d).seed(57).attnSoftcap(null)
            .finalSoftcap(null).layerTypes("full_attention", "sliding_attention", "sliding_attention").write()),
        new Variant("gemma2 query_pre_attn_scalar, window 2", d -> TinyCheckpoints.gemma2(d).seed(58).queryPreAttnScalar(7.0)
            .slidingWindow(2).write()),
        new Variant("gemma3 local and global rope", d -> TinyCheckpoints.gemma3(d).seed(59).write()),
        new Variant("gemma3 linear scaling on global layers, pattern 3", d -> TinyCheckpoints.gemma3(d).seed(60)
            .slidingWindowPattern(3).ropeLocalBaseFreq(100.0)
            .ropeScaling("{\"rope_type\":\"linear\",\"factor\":8.0}").write()),
        new Variant("gemma3 rope_parameters per layer type, layer_types, softcaps", d -> TinyCheckpoints.gemma3(d).seed(61)
            .layerTypes("full_attention", "sliding_attention", "full_attention").attnSoftcap(3.0).finalSoftcap(5.0)
            .configEdits("{\"rope_theta\":null,\"rope_scaling\":null,\"rope_local_base_freq\":null,"
                + "\"rope_parameters\":{\"full_attention\":{\"rope_type\":\"linear\",\"factor\":4.0,"
                + "\"rope_theta\":50000.0},\"sliding_attention\":{\"rope_type\":\"default\",\"rope_theta\":300.0}}}")
            .write()),
        new Variant("phi3", d -> TinyCheckpoints.phi3(d).seed(62).write()),
        new Variant("phi3 tied, MHA, partial rotary, sliding window", d -> TinyCheckpoints.phi3(d).seed(63).tied(true)
            .kvHeads(4).partialRotaryFactor(0.5).slidingWindow(3).write()),
        new Variant("phi3 longrope, short factors", d -> TinyCheckpoints.phi3(d).seed(64).longRope(16, 128).write()),
        new Variant("phi3 longrope, long factors past the original length", d -> TinyCheckpoints.phi3(d).seed(65)
            .longRope(4, 128).write()),
        new Variant("gpt-neox parallel residual, rotary_pct 0.5", d -> TinyCheckpoints.gptNeox(d).seed(66).write()),
        new Variant("gpt-neox sequential, full rotary, no attention bias", d -> TinyCheckpoints.gptNeox(d).seed(67)
            .parallelResidual(false).rotaryPct(1.0).attentionBias(false).write()),
        new Variant("gpt-neox tied, gelu_new", d -> TinyCheckpoints.gptNeox(d).seed(68).tied(true).hiddenAct("gelu_new")
            .write()),
        new Variant("opt pre-LN", d -> TinyCheckpoints.opt(d).seed(69).write()),
        new Variant("opt post-LN", d -> TinyCheckpoints.opt(d).seed(70).layerNormBefore(false).write()),
        new Variant("opt project_in/out, untied, gelu", d -> TinyCheckpoints.opt(d).seed(71).wordEmbedProjDim(16).tied(false)
            .activation("gelu").write()),
        new Variant("opt post-LN with project_in/out (opt-350m's layout)", d -> TinyCheckpoints.opt(d).seed(72)
            .layerNormBefore(false).wordEmbedProjDim(16).write()))
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
    // 1e-4 would let the tanh-approximated GELU pass for the exact one
    compare(variant, "float32", 1e-5);
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
      if (!encoder) {
        paddedBatchesAgree(variant, model, reference, ids, expected, tolerance, scope);
      }
    }
  }

  /** The sequence and a shorter one in one batch, padded right and left: each real position as the reference has it. */
  private static void paddedBatchesAgree(Variant variant, LanguageModel model, ReferenceModel reference, long[] ids,
      Result expected, double tolerance, NDManager scope) {
    long[] shorter = TestModels.randomIds(variant.name().hashCode() + 1, 4, model.spec().vocab());
    Result expectedShorter = reference.run(shorter);
    List<long[]> sequences = List.of(ids, shorter);
    List<Result> results = List.of(expected, expectedShorter);
    // dynamic and longrope frequencies follow the batch's longest sequence, as in transformers, so the
    // shorter sequence differs from itself alone there by design: only the longest is compared
    int compared = lengthDependentRope(model) ? 1 : sequences.size();
    for (TokenBatch.Padding padding : TokenBatch.Padding.values()) {
      TokenBatch batch = TokenBatch.of(sequences, padding);
      Forward forward = model.forward(batch, Hooks.none().record("blocks.*.mlp.hook_post"), scope);
      for (int s = 0; s < compared; s++) {
        int from = batch.firstReal(s);
        int n = sequences.get(s).length;
        String where = padding + "-padded batch, sequence " + s + ": ";
        Result r = results.get(s);
        check(variant, where + "hidden states", TestModels.rows(forward.hiddenStates(), s, from, n), r.lastHiddenState(),
            tolerance);
        if (r.logits() != null) {
          check(variant, where + "logits", TestModels.rows(forward.logits(), s, from, n), r.logits(), tolerance);
        }
        for (int l = 0; l < model.spec().layers(); l++) {
          String hook = "blocks." + l + ".mlp.hook_post";
          check(variant, where + hook, TestModels.rows(forward.recorded(hook), s, from, n), r.layer(l).post(),
              tolerance);
        }
      }
    }
  }

  private static boolean lengthDependentRope(LanguageModel model) {
    try {
      com.google.gson.JsonObject config = com.google.gson.JsonParser.parseString(
          java.nio.file.Files.readString(model.source().resolve("config.json"))).getAsJsonObject();
      com.google.gson.JsonElement scaling = config.get("rope_scaling");
      if (scaling == null || !scaling.isJsonObject()) {
        return false;
      }
      com.google.gson.JsonObject s = scaling.getAsJsonObject();
      String type = (s.has("rope_type") ? s.get("rope_type") : s.get("type")).getAsString();
      return List.of("dynamic", "longrope", "su").contains(type);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
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
