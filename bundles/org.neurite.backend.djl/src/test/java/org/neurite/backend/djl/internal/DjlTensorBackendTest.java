package org.neurite.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;

class DjlTensorBackendTest {
  private static DjlTensorBackend backend;

  @BeforeAll
  static void start() {
    backend = new DjlTensorBackend(() -> Engine.getEngine("PyTorch"));
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @Test
  void computesOnCpu() {
    try (NDManager scope = backend.newScope("cpu")) {
      NDArray a = scope.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      float[] product = a.matMul(a).toFloatArray();
      assertEquals(7f, product[0]);
      assertEquals(10f, product[1]);
      assertEquals(15f, product[2]);
      assertEquals(22f, product[3]);
    }
    assertEquals(0, backend.openScopes());
  }

  @Test
  void reportsEngineAndCpu() {
    assertEquals("PyTorch", backend.engineName());
    assertEquals("2.7.1", backend.engineVersion());
    assertEquals("cpu", backend.devices().get(0).id());
  }

  @Test
  void unavailableGpuIsOneClearError() {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    NeuriteException error = assertThrows(NeuriteException.class, () -> backend.newScope("cuda:" + gpus));
    assertTrue(error.getMessage().startsWith("Device cuda:" + gpus + " is not available"), error.getMessage());
    assertTrue(error.getMessage().contains("device=cpu"), error.getMessage());
    assertEquals(0, backend.openScopes());
  }

  @Test
  void malformedDeviceNameSaysHowToNameOne() {
    NeuriteException error = assertThrows(NeuriteException.class, () -> backend.device("tpu"));
    assertTrue(error.getMessage().contains("cpu or cuda:N"), error.getMessage());
  }

  @Test
  void forgottenScopeIsVisible() {
    NDManager forgotten = backend.newScope("cpu");
    assertEquals(1, backend.openScopes());
    forgotten.close();
    assertEquals(0, backend.openScopes());
  }

  /**
   * 400 iterations that each allocate 4 MiB of native tensors: leaked, that would be 1.6 GiB.
   * Resident memory after the loop must stay within 64 MiB of where it was after warm-up.
   */
  @Test
  void nativeMemoryStaysFlatOverManyScopes() throws IOException {
    churn(50);
    long before = residentBytes();
    churn(400);
    long after = residentBytes();
    assertEquals(0, backend.openScopes());
    long growth = after - before;
    assertTrue(growth < 64L << 20, "resident memory grew by " + (growth >> 20) + " MiB over 400 scopes");
  }

  private static void churn(int iterations) {
    for (int i = 0; i < iterations; i++) {
      try (NDManager scope = backend.newScope("cpu")) {
        NDArray x = scope.randomNormal(new Shape(512, 1024));   // 2 MiB
        NDArray y = x.mul(2f).add(1f);                          // 2 MiB more, plus temporaries
        assertEquals(512 * 1024, y.size());
      }
    }
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
