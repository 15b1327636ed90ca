package org.neurite.provenance.h2.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.RunStatus;

/**
 * Finds runs left {@code RUNNING} by a process that is gone and marks them, and their running
 * steps, {@code INTERRUPTED}. On this host a process is gone when its pid is not alive or now
 * belongs to a process started at another instant; on other hosts, when the run's heartbeat is
 * older than three heartbeat intervals by the database's clock.
 *
 * <p>Only the run's owner may change its state (docs/security.md): a stale run of another database
 * user is left to that user's next start, on whichever host, and only logged here.
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
  private record Candidate(long id, String owner, boolean own, int attempt, String host, long pid,
      Instant processStart, boolean stale) {}

  List<Long> mark(ProcessIdentity self) {
    long staleMillis = heartbeatInterval.multipliedBy(3).toMillis();
    List<Candidate> running = db.transaction("finding running runs", c -> Rows.list(c,
        "SELECT id, owner, owner = CURRENT_USER AS own, attempt, host, pid, process_start, "
            + "heartbeat_at < DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP) AS stale "
            + "FROM run_view WHERE status = 'RUNNING' ORDER BY id",
        rs -> new Candidate(rs.getLong("id"), rs.getString("owner"), rs.getBoolean("own"),
            rs.getInt("attempt"), rs.getString("host"), rs.getLong("pid"),
            Rows.instant(rs, "process_start"), rs.getBoolean("stale")),
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
      if (!run.own()) {
        LOG.log(Level.INFO, "Run " + run.id() + " of database user " + run.owner() + " looks "
            + "interrupted (" + reason + "); only that user's Neurite can mark it so");
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
      Optional<RunStates.Latest> latest = RunStates.latest(c, run.id());
      if (latest.isEmpty() || latest.get().status() != RunStatus.RUNNING
          || latest.get().attempt() != run.attempt()
          || !RunStates.append(c, latest.get(), run.attempt(), RunStatus.INTERRUPTED, reason,
              latest.get().process())) {
        return false;
      }
      StepStates.interruptRunning(c, run.id(), reason);
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
