package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunDetail;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.RunSummary;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.StepRecord;

/**
 * The read side of the store: runs, step records, artifacts, metrics, sources. Runs and step records
 * are read through {@code run_view} and {@code step_view}, in their latest state.
 */
final class RunQueries {
  private final Database db;

  RunQueries(Database db) {
    this.db = db;
  }

  /**
   * The step records whose artifacts, metrics and sources a run shows: its own records, and for a
   * cached record the one it reused.
   */
  private static final String SHOWN_RECORDS =
      "SELECT COALESCE(s.cached_from, s.id) FROM step_view s WHERE s.run_id = ?";

  List<RunSummary> listRuns(int limit) {
    return db.transaction("listing runs", c -> Rows.list(c, "SELECT r.id, r.workflow_name, "
        + "r.status, r.user_name, r.host, r.device, r.started_at, r.ended_at, COUNT(s.id) AS steps, "
        + "COUNT(CASE WHEN s.status = 'SUCCEEDED' THEN 1 END) AS succeeded, "
        + "COUNT(CASE WHEN s.status = 'CACHED' THEN 1 END) AS cached, "
        + "COUNT(CASE WHEN s.status = 'FAILED' THEN 1 END) AS failed "
        + "FROM (SELECT id FROM runs ORDER BY id DESC FETCH FIRST ? ROWS ONLY) k "
        + "JOIN run_view r ON r.id = k.id LEFT JOIN step_view s ON s.run_id = r.id "
        + "GROUP BY r.id, r.workflow_name, r.status, r.user_name, r.host, r.device, r.started_at, "
        + "r.ended_at ORDER BY r.id DESC",
        rs -> new RunSummary(rs.getLong("id"), rs.getString("workflow_name"),
            RunStatus.valueOf(rs.getString("status")), rs.getString("user_name"),
            rs.getString("host"), rs.getString("device"), Rows.instant(rs, "started_at"),
            Rows.instant(rs, "ended_at"), rs.getInt("steps"), rs.getInt("succeeded"),
            rs.getInt("cached"), rs.getInt("failed")),
        Math.max(0, limit)));
  }

  Optional<Run> run(long runId) {
    return db.transaction("reading run " + runId, c -> run(c, runId));
  }

  static Optional<Run> run(Connection c, long runId) throws SQLException {
    return Rows.list(c, "SELECT " + Rows.RUN_COLUMNS + " FROM run_view r WHERE r.id = ?", Rows::run, runId)
        .stream().findFirst();
  }

  Optional<RunDetail> runDetail(long runId) {
    return db.transaction("reading run " + runId, c -> {
      Optional<Run> run = run(c, runId);
      if (run.isEmpty()) {
        return Optional.empty();
      }
      List<StepRecord> steps = StepRecords.load(c, "s.run_id = ?", runId);
      List<StepRecord> producers = StepRecords.load(c, "s.run_id <> ? AND s.id IN (SELECT i.producer_step_record_id"
          + " FROM step_inputs i JOIN step_records r ON i.step_record_id = r.id WHERE r.run_id = ?)", runId, runId);
      List<Artifact> artifacts = Rows.list(c, "SELECT " + Rows.ARTIFACT_COLUMNS + " FROM artifacts a "
          + "WHERE a.step_record_id IN (" + SHOWN_RECORDS + ") ORDER BY a.id", Rows::artifact, runId);
      List<Metric> metrics = Rows.list(c, "SELECT DISTINCT m.id, m.step_record_id, s.step_id, "
          + "m.metric_name, m.metric_group, m.metric_value, m.recorded_at FROM metrics m "
          + "JOIN step_view s ON m.step_record_id = COALESCE(s.cached_from, s.id) "
          + "WHERE s.run_id = ? ORDER BY m.id", Rows::metric, runId);
      List<SourceIdentity> sources = Rows.list(c, "SELECT " + Rows.SOURCE_COLUMNS + " FROM sources o "
          + "WHERE o.step_record_id IN (" + SHOWN_RECORDS + ") ORDER BY o.id", Rows::source, runId);
      return Optional.of(new RunDetail(run.get(), steps, producers, artifacts, metrics, sources));
    });
  }

  Optional<StepRecord> stepRecord(long stepRecordId) {
    return db.transaction("reading step record " + stepRecordId,
        c -> StepRecords.load(c, "s.id = ?", stepRecordId).stream().findFirst());
  }

  List<Artifact> artifacts(long stepRecordId) {
    return db.transaction("reading the artifacts of step record " + stepRecordId,
        c -> artifacts(c, stepRecordId));
  }

  static List<Artifact> artifacts(Connection c, long stepRecordId) throws SQLException {
    return Rows.list(c, "SELECT " + Rows.ARTIFACT_COLUMNS + " FROM artifacts a "
        + "WHERE a.step_record_id = ? ORDER BY a.id", Rows::artifact, stepRecordId);
  }

  List<StepRecord> completedSteps(long runId) {
    return db.transaction("reading the completed steps of run " + runId,
        c -> StepRecords.load(c, "s.run_id = ? AND s.id IN (SELECT MAX(d.id) FROM step_view d "
            + "WHERE d.run_id = ? AND d.status IN ('SUCCEEDED', 'CACHED') GROUP BY d.step_id)",
            runId, runId));
  }

  /**
   * Artifacts by path relative to runs/ or by SHA-256, newest first. A path written with a
   * leading {@code runs/} or with {@code \} separators is understood too.
   */
  List<Artifact> findArtifacts(String pathOrSha256) {
    String key = pathOrSha256.trim().replace('\\', '/');
    String stripped = key.startsWith("./") ? key.substring(2) : key;
    String withoutRuns = stripped.startsWith("runs/") ? stripped.substring(5) : stripped;
    return db.transaction("finding artifact " + key, c -> Rows.list(c, "SELECT "
        + Rows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.path = ? OR a.path = ? "
        + "OR a.sha256 = ? ORDER BY a.id DESC", Rows::artifact, stripped, withoutRuns,
        key.toLowerCase(java.util.Locale.ROOT)));
  }
}
