package org.neurite.provenance.h2.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Metric;
import org.neurite.api.provenance.ProcessIdentity;
import org.neurite.api.provenance.Run;
import org.neurite.api.provenance.RunStart;
import org.neurite.api.provenance.RunStatus;
import org.neurite.api.provenance.RuntimeVersions;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.SourceKind;

/** Column lists and the mapping between rows and the API's records. */
final class Rows {
  private Rows() {}

  static final String RUN_COLUMNS = "r.id, r.workflow_name, r.workflow_source, r.workflow_text, "
      + "r.workflow_sha256, r.params_json, r.user_name, r.host, r.pid, r.process_start, "
      + "r.neurite_version, r.jvm_version, r.djl_version, r.engine_version, r.device, r.workspace, "
      + "r.status, r.message, r.started_at, r.ended_at, r.heartbeat_at, r.attempt";

  static final String ARTIFACT_COLUMNS =
      "a.id, a.step_record_id, a.run_id, a.kind, a.path, a.sha256, a.size_bytes, a.recorded_at";

  static final String SOURCE_COLUMNS = "o.id, o.step_record_id, o.kind, o.name, o.source_path, "
      + "o.content_hash, o.details_json, o.recorded_at";

  static Run run(ResultSet rs) throws SQLException {
    RunStart start = new RunStart(
        rs.getString("workflow_name"),
        rs.getString("workflow_source"),
        rs.getString("workflow_text"),
        rs.getString("workflow_sha256"),
        rs.getString("params_json"),
        new ProcessIdentity(rs.getString("user_name"), rs.getString("host"), rs.getLong("pid"),
            instant(rs, "process_start")),
        new RuntimeVersions(rs.getString("neurite_version"), rs.getString("jvm_version"),
            rs.getString("djl_version"), rs.getString("engine_version")),
        rs.getString("device"),
        rs.getString("workspace"));
    return new Run(
        rs.getLong("id"),
        start,
        RunStatus.valueOf(rs.getString("status")),
        rs.getString("message"),
        instant(rs, "started_at"),
        instant(rs, "ended_at"),
        instant(rs, "heartbeat_at"),
        rs.getInt("attempt"));
  }

  static Artifact artifact(ResultSet rs) throws SQLException {
    return new Artifact(rs.getLong("id"), rs.getLong("step_record_id"), rs.getLong("run_id"),
        rs.getString("kind"), rs.getString("path"), rs.getString("sha256"), rs.getLong("size_bytes"),
        instant(rs, "recorded_at"));
  }

  static SourceIdentity source(ResultSet rs) throws SQLException {
    return new SourceIdentity(rs.getLong("id"), rs.getLong("step_record_id"),
        SourceKind.valueOf(rs.getString("kind")), rs.getString("name"), rs.getString("source_path"),
        rs.getString("content_hash"), rs.getString("details_json"), instant(rs, "recorded_at"));
  }

  /** Maps a metric row that also has the viewing step record's {@code step_id}. */
  static Metric metric(ResultSet rs) throws SQLException {
    return new Metric(rs.getLong("id"), rs.getLong("step_record_id"), rs.getString("step_id"),
        rs.getString("metric_name"), rs.getString("metric_group"), rs.getDouble("metric_value"),
        instant(rs, "recorded_at"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
  }

  static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  /** Binds {@code args} to the statement's parameters in order. */
  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  /** {@code ?, ?, ?} with {@code n} markers, for an IN list. */
  static String markers(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /** A row mapper that may throw. */
  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static <T> List<T> list(java.sql.Connection c, String sql, Mapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }
}
