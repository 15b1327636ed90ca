package org.neurite.provenance.h2.internal;

import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.Optional;
import org.neurite.api.NeuriteException;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RunStatus;

/**
 * The provenance store's writes about runs: start, end, heartbeats and resumption. Each is one
 * short transaction, and append-only: a state change is a new row.
 */
final class RunWrites {
  private static final java.util.Set<RunStatus> RESUMABLE =
      java.util.EnumSet.of(RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.INTERRUPTED);

  private final Database db;

  RunWrites(Database db) {
    this.db = db;
  }

  long beginRun(RunStart start) {
    return db.transaction("recording the start of workflow " + start.workflowName(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (workflow_name, "
          + "workflow_source, workflow_text, workflow_sha256, params_json, user_name, host, pid, "
          + "process_start, neurite_version, jvm_version, djl_version, engine_version, device, "
          + "workspace, status, started_at, heartbeat_at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
          + "?, ?, ?, ?, ?, ?, ?, 'RUNNING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
          new String[] {"ID"})) {
        ps.setString(1, start.workflowName());
        ps.setString(2, start.workflowSource());
        ps.setString(3, start.workflowText());
        ps.setString(4, start.workflowSha256().toLowerCase(Locale.ROOT));
        ps.setString(5, start.paramsJson());
        ProcessIdentity p = start.process();
        ps.setString(6, p.user());
        ps.setString(7, p.host());
        ps.setLong(8, p.pid());
        Rows.setInstant(ps, 9, p.processStart());
        ps.setString(10, start.versions().neurite());
        ps.setString(11, start.versions().jvm());
        ps.setString(12, start.versions().djl());
        ps.setString(13, start.versions().engine());
        ps.setString(14, start.device());
        ps.setString(15, start.workspace());
        ps.executeUpdate();
        return Writes.generatedId(ps);
      }
    });
  }

  void finishRun(long runId, RunStatus status, String message) {
    if (status == RunStatus.RUNNING) {
      throw new IllegalArgumentException("finishRun needs a final status, not RUNNING");
    }
    db.transaction("recording the end of run " + runId, c -> {
      Optional<RunStates.Latest> latest = RunStates.latest(c, runId);
      if (latest.isEmpty() || latest.get().status() != RunStatus.RUNNING
          || !RunStates.append(c, latest.get(), latest.get().attempt(), status, message,
              latest.get().process())) {
        throw new IllegalStateException("run " + runId + " cannot end as " + status + ": it is "
            + Writes.runStatus(c, runId).map(Enum::name).orElse("not in the database"));
      }
      return null;
    });
  }

  boolean heartbeat(long runId) {
    return db.transaction("heartbeat of run " + runId, c -> {
      if (RunStates.latest(c, runId).map(r -> r.status() != RunStatus.RUNNING).orElse(true)) {
        return false;
      }
      RunStates.beat(c, runId);
      return true;
    });
  }

  Run resumeRun(long runId, ProcessIdentity process) {
    return db.transaction("resuming run " + runId, c -> {
      Optional<RunStates.Latest> latest = RunStates.latest(c, runId);
      if (latest.isPresent() && RESUMABLE.contains(latest.get().status())) {
        String me = RunStates.currentUser(c);
        if (!latest.get().owner().equals(me)) {
          throw new NeuriteException("Run " + runId + " was recorded by database user "
              + latest.get().owner() + ", so only " + latest.get().owner() + " can resume it (each "
              + "user's records are their own, docs/security.md); start the workflow again with "
              + "`run` to compute it as " + me + ".");
        }
        if (RunStates.append(c, latest.get(), latest.get().attempt() + 1, RunStatus.RUNNING, null,
            process)) {
          RunStates.beat(c, runId);
          return RunQueries.run(c, runId).orElseThrow();
        }
      }
      Optional<RunStatus> status = Writes.runStatus(c, runId);
      if (status.isEmpty()) {
        throw new NeuriteException("There is no run " + runId + " in the provenance database "
            + db.url() + "; `runs` lists the runs it holds.");
      }
      throw new NeuriteException("Run " + runId + " is " + status.get() + " and cannot be "
          + "resumed: only a failed, cancelled or interrupted run can. "
          + (status.get() == RunStatus.RUNNING
              ? "If its process is gone, start Neurite again so that it is marked interrupted."
              : "Start the workflow again with `run` to compute it anew."));
    });
  }
}
