package org.neurite.provenance.h2.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;

/**
 * For {@link UnavailableDatabaseTest}: opens a workspace's store (argument: the workspace), records
 * one run of one step and prints {@code RECORDED run N STATUS}.
 */
public final class OneProcessWriter {
  private OneProcessWriter() {}

  public static void main(String[] args) {
    H2ProvenanceStore store = H2ProvenanceStore.embedded(Path.of(args[0]), Duration.ofSeconds(10));
    try {
      long run = store.beginRun(TestStores.runStart("offline", "{}"));
      long step = store.beginStep(TestStores.stepStart(run, "a", "x.y", null));
      store.finishStep(step, StepFinish.succeeded(List.of(), Duration.ZERO));
      store.finishRun(run, RunStatus.SUCCEEDED, null);
      System.out.println("RECORDED run " + run + " " + store.run(run).orElseThrow().status());
    } finally {
      store.close();
    }
  }
}
