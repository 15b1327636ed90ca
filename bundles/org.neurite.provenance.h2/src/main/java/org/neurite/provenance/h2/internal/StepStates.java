package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.neurite.api.provenance.StepStatus;

/**
 * How step records end: one {@code step_states} row each, appended by the record's owner. Its
 * primary key settles a race between finishing a step and marking it interrupted.
 */
final class StepStates {
  private StepStates() {}

  /**
   * Ends a running step record.
   *
   * @return false if the record does not exist or is no longer running
   */
  static boolean end(Connection c, long stepRecordId, StepStatus status, Long cachedFrom,
      long durationMillis, String errorMessage, String errorTrace) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_states (step_record_id, status, "
        + "cached_from, duration_ms, error_message, error_trace, recorded_at) "
        + "SELECT id, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP FROM step_view "
        + "WHERE id = ? AND status = 'RUNNING'")) {
      ps.setString(1, status.name());
      Rows.setLong(ps, 2, cachedFrom);
      ps.setLong(3, durationMillis);
      ps.setString(4, errorMessage);
      ps.setString(5, errorTrace);
      ps.setLong(6, stepRecordId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (e.getErrorCode() == SqlErrors.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /** Marks every running step record of a run interrupted. */
  static void interruptRunning(Connection c, long runId, String reason) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_states (step_record_id, status, "
        + "error_message, recorded_at) SELECT id, 'INTERRUPTED', ?, CURRENT_TIMESTAMP "
        + "FROM step_view WHERE run_id = ? AND status = 'RUNNING'")) {
      Rows.bind(ps, reason, runId);
      ps.executeUpdate();
    }
  }
}
