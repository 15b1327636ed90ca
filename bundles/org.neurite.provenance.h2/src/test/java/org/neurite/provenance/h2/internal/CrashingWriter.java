package org.neurite.provenance.h2.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A Neurite-like process for {@link CrashedProcessTest}: opens a workspace's database as Neurite
 * does, begins a run, prints {@code RUN <id>} and waits to be killed.
 *
 * <p>Argument: the workspace folder
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    H2ProvenanceStore store = H2ProvenanceStore.embedded(Path.of(args[0]), Duration.ofSeconds(10));
    long runId = store.beginRun(TestStores.runStart("crashing", "{}"));
    System.out.println("RUN " + runId);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
