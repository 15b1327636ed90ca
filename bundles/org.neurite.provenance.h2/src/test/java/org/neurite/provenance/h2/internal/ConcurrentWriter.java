package org.neurite.provenance.h2.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepOutput;
import org.neurite.support.files.ContentHash;

/**
 * A writer process for {@link ConcurrentWritersTest}: opens the store at a JDBC URL, prints
 * {@code READY}, waits for a line on stdin, then records one run of N steps (each: begin, one
 * artifact, one metric, finish) as a workflow engine would, and prints {@code DONE}, the run id,
 * the time taken and how many transactions lost a lock race and ran again.
 *
 * <p>Arguments: url user password label steps
 */
public final class ConcurrentWriter {
  private ConcurrentWriter() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String label = args[3];
    int steps = Integer.parseInt(args[4]);
    Database db = new Database(url, args[1], args[2], 2, "(writer " + label + ")");
    H2ProvenanceStore store = new H2ProvenanceStore(db, Duration.ofSeconds(10));
    try {
      System.out.println("READY");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      long start = System.nanoTime();
      long runId = store.beginRun(TestStores.runStart("writer-" + label, "{\"label\": \"" + label + "\"}"));
      for (int i = 0; i < steps; i++) {
        long step = store.beginStep(TestStores.stepStart(runId, "step-" + i, "test.write", label + "-" + i));
        String path = label + "/step-" + i + ".bin";
        String hash = ContentHash.sha256(path);
        store.recordArtifact(step, "test", path, hash, i);
        store.recordMetric(step, "index", label, i);
        store.finishStep(step, StepFinish.succeeded(
            List.of(new StepOutput("out", "Path", hash, path, null)), Duration.ofMillis(1)));
        if (i % 50 == 0) {
          store.heartbeat(runId);
        }
      }
      store.finishRun(runId, RunStatus.SUCCEEDED, null);
      System.out.println("DONE run " + runId + " in " + (System.nanoTime() - start) / 1_000_000
          + " ms, " + db.retries() + " retried transactions");
    } finally {
      store.close();
    }
  }
}
