package org.neurite.provenance.h2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.provenance.RunStatus;

/** A Neurite process killed with -9 while it holds the workspace's database: the next start goes on at once, with the next run id. */
class CrashedProcessTest {
  @TempDir Path workspace;

  private long runInAProcessKilledWithSignal9() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dh2.bindAddress=" + System.getProperty("h2.bindAddress"), "-cp", System.getProperty("java.class.path"),
        CrashingWriter.class.getName(), workspace.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertTrue(line != null && line.startsWith("RUN "), "the child reported " + line);
      return Long.parseLong(line.substring(4));
    } finally {
      child.destroyForcibly();   // SIGKILL: no shutdown hook, no H2 close
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void afterAKillTheNextRunIdIsTheNextIntegerAndTheDatabaseOpensPromptly() throws Exception {
    H2ProvenanceStore first = TestStores.store(workspace);
    try {
      assertEquals(1, first.beginRun(TestStores.runStart("first", "{}")));
    } finally {
      first.close();
    }
    long killed = runInAProcessKilledWithSignal9();
    assertEquals(2, killed);

    long started = System.nanoTime();
    H2ProvenanceStore store = TestStores.store(workspace);
    try {
      long openMillis = (System.nanoTime() - started) / 1_000_000;
      System.out.println("CrashedProcessTest: opened " + openMillis + " ms after the kill");
      assertEquals(killed + 1, store.beginRun(TestStores.runStart("after", "{}")), "no run ids were skipped");
      store.markInterrupted();
      assertEquals(RunStatus.INTERRUPTED, store.run(killed).orElseThrow().status());
    } finally {
      store.close();
    }
    long clean = System.nanoTime();
    TestStores.store(workspace).close();
    System.out.println("CrashedProcessTest: opened " + (System.nanoTime() - clean) / 1_000_000
        + " ms after a clean close, for comparison");
  }
}
