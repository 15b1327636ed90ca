package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.neurite.api.provenance.SourceKind;
import org.neurite.api.provenance.StepFinish;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.provenance.StepStatus;

/**
 * The provenance store's writes about steps: start and end, artifacts, sources and metrics. Each is
 * one short transaction.
 */
final class StepWrites {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final Database db;

  StepWrites(Database db) {
    this.db = db;
  }

  long beginStep(StepStart start) {
    return db.transaction("recording the start of step " + start.stepId() + " of run " + start.runId(),
        c -> {
          long id;
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_records (run_id, "
              + "step_id, step_name, bundle_symbolic_name, bundle_version, params_json, memo_key, "
              + "status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'RUNNING', CURRENT_TIMESTAMP)",
              new String[] {"ID"})) {
            Rows.bind(ps, start.runId(), start.stepId(), start.stepName(),
                start.bundleSymbolicName(), start.bundleVersion(), start.paramsJson(), start.memoKey());
            ps.executeUpdate();
            id = Writes.generatedId(ps);
          }
          if (!start.inputs().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_inputs (step_record_id, "
                + "input_name, producer_step_record_id, producer_output, value_hash) "
                + "VALUES (?, ?, ?, ?, ?)")) {
              for (StepInput input : start.inputs()) {
                Rows.bind(ps, id, input.name(), input.producerStepRecordId(), input.producerOutput(),
                    input.valueHash());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return id;
        });
  }

  void finishStep(long stepRecordId, StepFinish finish) {
    db.transaction("recording the end of step record " + stepRecordId, c -> {
      Long origin = finish.cachedFrom() == null ? null : originOf(c, finish.cachedFrom());
      if (!StepStates.end(c, stepRecordId, finish.status(), origin, finish.duration().toMillis(),
          finish.errorMessage(), finish.errorStackTrace())) {
        Optional<String> status = Writes.single(c, "SELECT status FROM step_view WHERE id = ?",
            stepRecordId);
        if (status.isEmpty()) {
          throw new IllegalArgumentException("there is no step record " + stepRecordId);
        }
        throw new IllegalStateException("step record " + stepRecordId + " cannot end as "
            + finish.status() + ": it is already " + status.get());
      }
      if (!finish.outputs().isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_outputs (step_record_id, "
            + "output_name, value_type, value_hash, artifact_path, value_json) VALUES (?, ?, ?, ?, ?, ?)")) {
          for (StepOutput output : finish.outputs()) {
            Rows.bind(ps, stepRecordId, output.name(), output.type(), output.valueHash(),
                output.artifactPath() == null ? null : Writes.relativePath(output.artifactPath()),
                output.valueJson());
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      return null;
    });
  }

  /** The succeeded record that computed what {@code stepRecordId} holds (itself if it did). */
  private static long originOf(Connection c, long stepRecordId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(cached_from, id), status FROM step_view WHERE id = ?")) {
      ps.setLong(1, stepRecordId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("cachedFrom names step record " + stepRecordId
              + ", which does not exist");
        }
        StepStatus status = StepStatus.valueOf(rs.getString(2));
        if (!status.completed()) {
          throw new IllegalArgumentException("cachedFrom names step record " + stepRecordId
              + ", which is " + status + ", not SUCCEEDED or CACHED");
        }
        return rs.getLong(1);
      }
    }
  }

  long recordArtifact(long stepRecordId, String kind, String path, String sha256, long sizeBytes) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("artifact " + path + ": '" + sha256
          + "' is not a SHA-256 in hex (64 digits)");
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("artifact " + path + ": negative size " + sizeBytes);
    }
    String relative = Writes.relativePath(path);
    return db.transaction("recording artifact " + relative, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (step_record_id, run_id, "
          + "kind, path, sha256, size_bytes, recorded_at) SELECT id, run_id, ?, ?, ?, ?, "
          + "CURRENT_TIMESTAMP FROM step_records WHERE id = ?", new String[] {"ID"})) {
        Rows.bind(ps, kind, relative, sha256.toLowerCase(Locale.ROOT), sizeBytes, stepRecordId);
        Writes.requireStepRecord(ps.executeUpdate(), stepRecordId);
        return Writes.generatedId(ps);
      }
    });
  }

  long recordSource(long stepRecordId, SourceKind kind, String name, String sourcePath,
      String contentHash, String detailsJson) {
    return db.transaction("recording " + kind.name().toLowerCase(Locale.ROOT) + " " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sources (step_record_id, kind, "
          + "name, source_path, content_hash, details_json, recorded_at) SELECT id, ?, ?, ?, ?, ?, "
          + "CURRENT_TIMESTAMP FROM step_records WHERE id = ?", new String[] {"ID"})) {
        Rows.bind(ps, kind.name(), name, sourcePath, contentHash.toLowerCase(Locale.ROOT),
            detailsJson, stepRecordId);
        Writes.requireStepRecord(ps.executeUpdate(), stepRecordId);
        return Writes.generatedId(ps);
      }
    });
  }

  void recordMetric(long stepRecordId, String name, String group, double value) {
    db.transaction("recording metric " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics (step_record_id, "
          + "metric_name, metric_group, metric_value, recorded_at) SELECT id, ?, ?, ?, "
          + "CURRENT_TIMESTAMP FROM step_records WHERE id = ?")) {
        Rows.bind(ps, name, group == null ? "" : group, value, stepRecordId);
        Writes.requireStepRecord(ps.executeUpdate(), stepRecordId);
      }
      return null;
    });
  }
}
