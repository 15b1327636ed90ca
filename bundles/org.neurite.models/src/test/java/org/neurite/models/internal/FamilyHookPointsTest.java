package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.TinyCheckpoints;

/**
 * What {@code models --hooks} lists for the families added with issue 10: each listed hook point is
 * reached by a forward pass with the shape it is listed with, and the points a family's block adds
 * or lacks (q/k norms; no hook_resid_mid beside a parallel residual; no ln1/ln2 in post-norm blocks)
 * are listed or not.
 */
class FamilyHookPointsTest {
  private static final Pattern DIMENSION = Pattern.compile("(\\w+)(?:=(\\d+))?");
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

  @Test
  void everyListedHookPointIsReachedWithItsListedShape() {
    List<Function<Path, Path>> checkpoints = List.of(d -> TinyCheckpoints.qwen3(d).seed(1).write(),
        d -> TinyCheckpoints.gemma(d).seed(2).write(), d -> TinyCheckpoints.gemma2(d).seed(3).write(),
        d -> TinyCheckpoints.gemma3(d).seed(4).write(), d -> TinyCheckpoints.phi3(d).seed(5).write(),
        d -> TinyCheckpoints.gptNeox(d).seed(6).write(), d -> TinyCheckpoints.opt(d).seed(7).write(),
        d -> TinyCheckpoints.opt(d).seed(8).layerNormBefore(false).wordEmbedProjDim(16).write());
    for (int i = 0; i < checkpoints.size(); i++) {
      LanguageModel model = TestModels.load(repository, checkpoints.get(i).apply(dir.resolve("m" + i)), "float32");
      List<HookPoint> points = model.spec().hookPoints();
      Hooks hooks = Hooks.none();
      for (HookPoint point : points) {
        hooks = hooks.record(point.name());
      }
      TokenBatch batch = TokenBatch.of(List.of(new long[] {1, 2, 3, 4, 5}, new long[] {6, 7, 8}),
          TokenBatch.Padding.RIGHT);
      try (NDManager scope = TestBackend.get().newScope("cpu")) {
        Forward forward = model.forward(batch, hooks, scope);
        assertEquals(points.size(), forward.recorded().size(), model.name() + ": every listed point is reached");
        for (HookPoint point : points) {
          long[] shape = forward.recorded(point.name()).getShape().getShape();
          assertEquals(List.of(listed(point.shape(), 2, 5)), toList(shape), model.name() + " " + point.name()
              + " " + point.shape());
        }
      }
    }
  }

  @Test
  void theBlocksOfEachFamilyListWhatTheyHave() {
    List<String> qwen3 = names(TinyCheckpoints.qwen3(dir.resolve("qwen3")).seed(9).write());
    assertTrue(qwen3.contains("blocks.1.attn.q_norm.hook_normalized") && qwen3.contains(
        "blocks.1.attn.k_norm.hook_normalized") && qwen3.contains("blocks.1.attn.hook_rot_q"), qwen3.toString());
    List<String> gemma3 = names(TinyCheckpoints.gemma3(dir.resolve("gemma3")).seed(10).write());
    assertTrue(gemma3.contains("blocks.0.attn.k_norm.hook_normalized"), gemma3.toString());
    List<String> gemma = names(TinyCheckpoints.gemma(dir.resolve("gemma")).seed(11).write());
    assertFalse(gemma.contains("blocks.0.attn.q_norm.hook_normalized"), gemma.toString());
    List<String> parallel = names(TinyCheckpoints.gptNeox(dir.resolve("neox")).seed(12).write());
    assertFalse(parallel.contains("blocks.0.hook_resid_mid"), parallel.toString());
    assertTrue(parallel.contains("blocks.0.ln2.hook_normalized"), parallel.toString());
    List<String> sequential = names(TinyCheckpoints.gptNeox(dir.resolve("neox-seq")).seed(13).parallelResidual(false)
        .write());
    assertTrue(sequential.contains("blocks.0.hook_resid_mid"), sequential.toString());
    List<String> postNorm = names(TinyCheckpoints.opt(dir.resolve("opt-post")).seed(14).layerNormBefore(false).write());
    assertFalse(postNorm.contains("blocks.0.ln1.hook_normalized") || postNorm.contains("blocks.0.ln2.hook_normalized"),
        postNorm.toString());
    assertTrue(postNorm.contains("hook_pos_embed") && postNorm.contains("blocks.0.hook_resid_mid"), postNorm.toString());
  }

  private static List<String> names(Path folder) {
    return TestModels.load(repository, folder, "float32").spec().hookPoints().stream().map(HookPoint::name).toList();
  }

  /** The dimensions a listed shape such as {@code [batch, pos, heads=4, d_head=16]} gives for a batch. */
  private static Long[] listed(String shape, long batch, long positions) {
    List<Long> dims = new ArrayList<>();
    Matcher m = DIMENSION.matcher(shape.replace("[", "").replace("]", ""));
    while (m.find()) {
      String name = m.group(1);
      dims.add(m.group(2) != null ? Long.parseLong(m.group(2)) : name.equals("batch") ? batch : positions);
    }
    return dims.toArray(new Long[0]);
  }

  private static List<Long> toList(long[] shape) {
    List<Long> out = new ArrayList<>();
    for (long s : shape) {
      out.add(s);
    }
    return out;
  }
}
