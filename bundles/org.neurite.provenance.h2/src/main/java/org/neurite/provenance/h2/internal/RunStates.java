package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.RunStatus;

/**
 * A run's states, appended and never changed: its {@code runs} row is state 0, each
 * {@code run_states} row the next one. Only the run's owner can append (the database refuses
 * anyone else), and of two processes appending the same next state one wins: the other gets a
 * duplicate key and learns it lost.
 */
final class RunStates {
  private RunStates() {}

  /** A run's latest state, as {@code run_view} shows it. */
  record Latest(long runId, String owner, int seq, int attempt, RunStatus status,
      ProcessIdentity process) {}

  static Optional<Latest> latest(Connection c, long runId) throws SQLException {
    return Rows.list(c, "SELECT id, owner, state_seq, attempt, status, user_name, host, pid, "
        + "process_start FROM run_view WHERE id = ?", rs -> new Latest(rs.getLong("id"),
            rs.getString("owner"), rs.getInt("state_seq"), rs.getInt("attempt"),
            RunStatus.valueOf(rs.getString("status")),
            new ProcessIdentity(rs.getString("user_name"), rs.getString("host"), rs.getLong("pid"),
                Rows.instant(rs, "process_start"))), runId)
        .stream().findFirst();
  }

  /**
   * Appends the state that follows {@code after}.
   *
   * @return false if another process appended the next state first
   */
  static boolean append(Connection c, Latest after, int attempt, RunStatus status, String message,
      ProcessIdentity process) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_states (run_id, seq, attempt, "
        + "status, message, user_name, host, pid, process_start, recorded_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
      Rows.bind(ps, after.runId(), after.seq() + 1, attempt, status.name(), message, process.user(),
          process.host(), process.pid());
      Rows.setInstant(ps, 9, process.processStart());
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (e.getErrorCode() == SqlErrors.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /** Records that the run's process is alive. */
  static void beat(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO run_heartbeats (run_id, beat_at) VALUES (?, CURRENT_TIMESTAMP)")) {
      ps.setLong(1, runId);
      ps.executeUpdate();
    }
  }

  /** The database user this connection writes as (what {@code owner} columns hold). */
  static String currentUser(Connection c) throws SQLException {
    return Rows.list(c, "SELECT CURRENT_USER", rs -> rs.getString(1)).get(0);
  }
}
