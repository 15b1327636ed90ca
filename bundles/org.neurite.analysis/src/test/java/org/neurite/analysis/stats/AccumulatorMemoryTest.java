package org.neurite.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.TestBackend;

/**
 * Native memory stays flat in the number of rows: scopes come back to where they started and
 * resident memory does not grow over hundreds of batches. The test JVM's heap is committed and
 * touched at start (the module's surefire configuration), so resident memory moves with native
 * memory only.
 */
class AccumulatorMemoryTest {
  private static final int UNITS = 1536;
  private static final int ROWS = 512;
  private static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = new TestBackend();
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  /**
   * 250 batches of {@code [512, 1536]} float32 after 100 of warm-up (PyTorch's allocator keeps
   * what it has grown to, and settles after about a hundred batches). Each batch makes about
   * 30 MiB of float64 temporaries, so a leak of them would show as gigabytes; the budget is 48 MiB
   * between the first and last 50 batches. The accumulator's own native arrays stay the same.
   */
  @Test
  void residentMemoryStaysFlatOverManyBatches() throws IOException {
    int open = backend.openScopes();
    int[] groups = new int[ROWS];
    for (int r = 0; r < ROWS; r++) {
      groups[r] = (r * 7) % 3;
    }
    StatsOptions options = StatsOptions.cheap().withRowMagnitudes().withTopK(20, TopKRanking.VALUE);
    try (NDManager caller = backend.newScope("cpu");
        UnitStatsAccumulator acc = UnitStatsAccumulator.open(backend, "cpu", "blocks.3.mlp.hook_post",
            List.of("a", "b", "c"), UNITS, options)) {
      assertEquals(open + 2, backend.openScopes(), "the accumulator owns one scope");
      NDArray values = caller.randomNormal(new Shape(ROWS, UNITS));
      int before = caller.getManagedArrays().size();
      for (int i = 0; i < 100; i++) {
        acc.add(values, groups);
      }
      int stateArrays = acc.nativeArrays();
      long[] resident = new long[250];
      long started = System.nanoTime();
      for (int i = 0; i < resident.length; i++) {
        acc.add(values, groups);
        resident[i] = residentBytes();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals(before, caller.getManagedArrays().size(), "add leaves nothing in the caller's scope");
      assertEquals(open + 2, backend.openScopes(), "each batch's scope is closed");
      assertEquals(stateArrays, acc.nativeArrays(), "the state holds the same arrays after every batch");
      long early = median(Arrays.copyOfRange(resident, 0, 50));
      long late = median(Arrays.copyOfRange(resident, 200, 250));
      System.out.printf("resident %d MiB -> %d MiB over %d batches of [%d, %d] (%.0f rows/s with row magnitudes"
          + " and top-20)%n", early >> 20, late >> 20, resident.length, ROWS, UNITS, resident.length * ROWS / seconds);
      assertTrue(late - early < 48L << 20, "resident memory grew by " + ((late - early) >> 20)
          + " MiB between the first and last 50 of 250 batches");
      assertEquals(350L * ROWS, acc.snapshot().rows());
    }
    assertEquals(open, backend.openScopes());
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
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
