package org.neurite.provenance.h2.internal;

import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neurite.api.provenance.ProcessIdentity;

/**
 * Finds runs left {@code RUNNING} by a process that is gone and marks them, and their running
 * steps, {@code INTERRUPTED}. On this host a process is gone when its pid is not alive or now
 * belongs to a process started at another instant; on other hosts, when the run's heartbeat is
 * older than three heartbeat intervals by the database's clock.
 */
final class InterruptedRuns {
  private static final System.Logger LOG = System.getLogger(InterruptedRuns.class.getName());

  /** Start instants closer than this are taken for the same process (clock-tick rounding). */
  private static final Duration SAME_START = Duration.ofSeconds(1);

  private final Database db;
  private final Duration heartbeatInterval;

  InterruptedRuns(Database db, Duration heartbeatInterval) {
    this.db = db;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** A running run and what is known of its process. */
  private record Candidate(long id, int attempt, String host, long pid, Instant processStart, boolean stale) {}

  List<Long> mark(ProcessIdentity self) {
    long staleMillis = heartbeatInterval.multipliedBy(3).toMillis();
    List<Candidate> running = db.transaction("finding running runs", c -> Rows.list(c,
        "SELECT id, attempt, host, pid, process_start, "
            + "heartbeat_at < DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP) AS stale "
            + "FROM runs WHERE status = 'RUNNING' ORDER BY id",
        rs -> new Candidate(rs.getLong("id"), rs.getInt("attempt"), rs.getString("host"),
            rs.getLong("pid"), Rows.instant(rs, "process_start"), rs.getBoolean("stale")),
        -staleMillis));
    List<Long> marked = new ArrayList<>();
    for (Candidate run : running) {
      String reason;
      if (run.host().equals(self.host())) {
        if (alive(run.pid(), run.processStart())) {
          continue;
        }
        reason = "process " + run.pid() + " on " + run.host() + " ended without finishing the run";
      } else if (run.stale()) {
        reason = "no heartbeat from process " + run.pid() + " on " + run.host() + " for over "
            + Duration.ofMillis(staleMillis).toSeconds() + " s";
      } else {
        continue;
      }
      if (markOne(run, reason)) {
        marked.add(run.id());
        LOG.log(Level.INFO, "Run " + run.id() + " marked INTERRUPTED: " + reason);
      }
    }
    return marked;
  }

  /** Marks one run unless it changed meanwhile (finished, or resumed by another process). */
  private boolean markOne(Candidate run, String reason) {
    return db.transaction("marking run " + run.id() + " interrupted", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = 'INTERRUPTED', "
          + "message = ?, ended_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'RUNNING' "
          + "AND attempt = ?")) {
        Rows.bind(ps, reason, run.id(), run.attempt());
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE step_records SET status = 'INTERRUPTED', "
          + "ended_at = CURRENT_TIMESTAMP, error_message = ? WHERE run_id = ? AND status = 'RUNNING'")) {
        Rows.bind(ps, reason, run.id());
        ps.executeUpdate();
      }
      return true;
    });
  }

  /** True if {@code pid} is alive and, where both are known, started at {@code recordedStart}. */
  static boolean alive(long pid, Instant recordedStart) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    Optional<Instant> actualStart = handle.get().info().startInstant();
    if (recordedStart == null || actualStart.isEmpty()) {
      return true;
    }
    return Duration.between(recordedStart, actualStart.get()).abs().compareTo(SAME_START) < 0;
  }
}
