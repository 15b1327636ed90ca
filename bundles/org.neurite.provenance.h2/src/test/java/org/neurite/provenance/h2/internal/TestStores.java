package org.neurite.provenance.h2.internal;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RuntimeVersions;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepStart;
import org.neurite.support.process.CurrentProcess;

/** Real H2 databases in temporary folders, and the records tests write to them. */
final class TestStores {
  private TestStores() {}

  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  static Database embedded(Path dir) {
    return new Database(Connections.embeddedUrl(dir), "sa", "", 4, "(test)");
  }

  static H2ProvenanceStore store(Path dir) {
    return new H2ProvenanceStore(embedded(dir), HEARTBEAT);
  }

  static RunStart runStart(String workflow, String paramsJson) {
    return runStart(workflow, paramsJson, CurrentProcess.identity());
  }

  static RunStart runStart(String workflow, String paramsJson, ProcessIdentity process) {
    String text = "{\"name\": \"" + workflow + "\", \"steps\": []}";
    return new RunStart(workflow, "workflows/" + workflow + ".json", text, "ab".repeat(32), paramsJson,
        process, new RuntimeVersions("0.1.0", "17.0.12+7 Eclipse Adoptium", "0.35.1", "PyTorch 2.7.1"),
        "cpu", "/tmp/workspace");
  }

  static StepStart stepStart(long runId, String stepId, String stepName, String memoKey, StepInput... inputs) {
    return new StepStart(runId, stepId, stepName, "org.neurite.workflow", "0.1.0.SNAPSHOT",
        "{\"k\": 1}", List.of(inputs), memoKey);
  }

  /** Runs one SQL statement directly, for setting up states the API does not produce. */
  static void execute(Database db, String sql) {
    db.transaction("test setup", c -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
      return null;
    });
  }

  static long count(Database db, String sql) {
    return db.transaction("test count", c -> Rows.list(c, sql, rs -> rs.getLong(1)).get(0));
  }
}
