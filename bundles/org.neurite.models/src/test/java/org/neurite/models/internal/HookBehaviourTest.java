package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.internal.core.HookedModel;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.internal.repository.SharedModel;
import org.neurite.models.reference.TinyCheckpoints;

/**
 * Hooks are per call: a typo is an error, a failing hook leaves nothing behind, and native memory
 * stays flat over many forward passes.
 */
class HookBehaviourTest {
  @TempDir static Path dir;
  private static ModelRepositoryComponent repository;
  private static LanguageModel model;
  private static final TokenBatch BATCH = TokenBatch.of(List.of(new long[] {1, 2, 3, 4}, new long[] {5, 6}),
      TokenBatch.Padding.LEFT);

  @BeforeAll
  static void start() {
    repository = TestModels.repository(dir);
    model = TestModels.load(repository, TinyCheckpoints.llama(dir.resolve("llama")).seed(31).kvHeads(2).write(),
        "float32");
  }

  @AfterAll
  static void stop() {
    repository.close();
  }

  @Test
  void aNameThatMatchesNothingIsAnErrorWithSuggestions() {
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      NeuriteException e = assertThrows(NeuriteException.class,
          () -> model.forward(BATCH, Hooks.none().record("blocks.*.mlp.hook_pst"), scope));
      assertTrue(e.getMessage().contains("Hook 'blocks.*.mlp.hook_pst' matches no hook point of model llama"),
          e.getMessage());
      assertTrue(e.getMessage().contains("did you mean blocks.0.mlp.hook_post"), e.getMessage());
    }
  }

  @Test
  void gradientsNeedATargetAndReplacementsKeepTheShape() {
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      assertTrue(assertThrows(NeuriteException.class, () -> model.forward(BATCH,
          Hooks.none().gradient("blocks.0.mlp.hook_post"), scope)).getMessage().contains("give no target"));
      NeuriteException shape = assertThrows(NeuriteException.class, () -> model.forward(BATCH, Hooks.none()
          .replace("blocks.1.hook_resid_mid", (n, v, b) -> v.sum(new int[] {2})), scope));
      assertTrue(shape.getMessage().contains("The replacement hook at blocks.1.hook_resid_mid returned shape (2, 4);"
          + " it must keep the shape (2, 4, 32)"), shape.getMessage());
    }
  }

  @Test
  void aFailingHookLeavesNothingBehind() {
    NDManager weights = ((HookedModel) ((SharedModel) model).instance()).weights();
    int weightArrays = weights.getManagedArrays().size();
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      float[] before = model.forward(BATCH, Hooks.none(), scope).logits().toFloatArray();
      IllegalStateException boom = assertThrows(IllegalStateException.class, () -> model.forward(BATCH,
          Hooks.none().record("blocks.*.hook_resid_post").gradient("blocks.0.mlp.hook_post")
              .target(f -> f.logits().sum())
              .replace("blocks.1.mlp.hook_post", (n, v, b) -> {
                throw new IllegalStateException("hook bug");
              }), scope));
      assertEquals("hook bug", boom.getMessage());
      float[] after = model.forward(BATCH, Hooks.none(), scope).logits().toFloatArray();
      assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(after),
          "the next call sees no trace of the failed one");
    }
    assertEquals(weightArrays, weights.getManagedArrays().size(), "no array was left among the weights");
  }

  @Test
  void forwardPassesLeaveOnlyTheirResultsAndUserArraysSurvive() {
    NDManager weights = ((HookedModel) ((SharedModel) model).instance()).weights();
    int weightArrays = weights.getManagedArrays().size();
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      model.forward(BATCH, Hooks.none(), scope);
      assertEquals(2, scope.getManagedArrays().size(), "a plain pass leaves its mask and hidden states");
    }
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      model.forward(BATCH, Hooks.none().record("blocks.*.mlp.hook_post"), scope);
      assertEquals(2 + model.spec().layers(), scope.getManagedArrays().size(), "plus one array per record");
    }
    try (NDManager scope = TestBackend.get().newScope("cpu")) {
      NDArray kept = scope.ones(new ai.djl.ndarray.types.Shape(2, 4, 48));
      Forward f = model.forward(BATCH, Hooks.none().replace("blocks.1.mlp.hook_post", (n, v, b) -> kept), scope);
      assertTrue(!kept.isReleased(), "an array a hook returns stays its owner's");
      assertEquals(1f, kept.getFloat(0, 0, 0));
      assertEquals(3, scope.getManagedArrays().size());
      assertEquals(List.of(), new ArrayList<>(f.recorded().keySet()));
    }
    assertEquals(weightArrays, weights.getManagedArrays().size());
  }

  /**
   * 300 forward passes with records and gradients after a warm-up (PyTorch's allocator keeps what
   * it has grown to); each pass makes about 15 MiB of intermediates, so a leak would show as
   * gigabytes. The test JVM's heap is committed and touched at start (the module's surefire
   * configuration), so resident memory moves with native memory only, not with the Java garbage
   * each pass leaves for the collector.
   */
  @Test
  void nativeMemoryStaysFlatOverManyForwardPasses() throws IOException {
    LanguageModel big = TestModels.load(repository, TinyCheckpoints.llama(dir.resolve("wider")).seed(32)
        .hidden(128).intermediate(512).heads(8).kvHeads(2).vocab(2000).write(), "float32");
    List<long[]> sequences = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      sequences.add(TestModels.randomIds(s, 64, 2000));
    }
    TokenBatch batch = TokenBatch.of(sequences, TokenBatch.Padding.RIGHT);
    Hooks hooks = Hooks.none().record("blocks.*.mlp.hook_post").gradient("blocks.*.mlp.hook_post")
        .target(f -> f.logits().get(":, -1, 7").sum());
    churn(big, batch, hooks, 100, null);
    int open = TestBackend.get().openScopes();
    long[] resident = new long[300];
    churn(big, batch, hooks, resident.length, resident);
    assertEquals(open, TestBackend.get().openScopes());
    long early = median(java.util.Arrays.copyOfRange(resident, 0, 50));
    long late = median(java.util.Arrays.copyOfRange(resident, 250, 300));
    assertTrue(late - early < 48L << 20, "resident memory grew by " + ((late - early) >> 20)
        + " MiB between the first and last 50 of 300 forward passes");
  }

  private static void churn(LanguageModel m, TokenBatch batch, Hooks hooks, int n, long[] resident) throws IOException {
    for (int i = 0; i < n; i++) {
      try (NDManager scope = TestBackend.get().newScope("cpu")) {
        Forward f = m.forward(batch, hooks, scope);
        assertEquals(m.spec().layers(), f.gradients().size());
      }
      if (resident != null) {
        resident[i] = residentBytes();
      }
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
