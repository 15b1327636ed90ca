package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepOutput;
import org.neurite.api.provenance.StepRecord;
import org.neurite.api.provenance.StepStart;
import org.neurite.api.provenance.StepStatus;

/** Reads step records, in their latest state ({@code step_view}), with their inputs and outputs. */
final class StepRecords {
  private StepRecords() {}

  private static final String COLUMNS = "s.id, s.run_id, s.step_id, s.step_name, "
      + "s.bundle_symbolic_name, s.bundle_version, s.params_json, s.memo_key, s.status, "
      + "s.cached_from, s.started_at, s.ended_at, s.duration_ms, s.error_message, s.error_trace";

  /** A step row before its inputs and outputs are attached. */
  private record Row(long id, long runId, String stepId, String stepName, String bundle,
      String version, String params, String memoKey, StepStatus status, Long cachedFrom,
      java.time.Instant startedAt, java.time.Instant endedAt, Long durationMillis, String error,
      String trace) {}

  /** A value read for one step record. */
  private record Owned<T>(long stepRecordId, T value) {}

  /**
   * The step records matching {@code where} (a condition on alias {@code s}), ordered by id.
   */
  static List<StepRecord> load(Connection c, String where, Object... args) throws SQLException {
    List<Row> rows = Rows.list(c, "SELECT " + COLUMNS + " FROM step_view s WHERE " + where
        + " ORDER BY s.id", rs -> new Row(
            rs.getLong("id"), rs.getLong("run_id"), rs.getString("step_id"),
            rs.getString("step_name"), rs.getString("bundle_symbolic_name"),
            rs.getString("bundle_version"), rs.getString("params_json"), rs.getString("memo_key"),
            StepStatus.valueOf(rs.getString("status")), nullableLong(rs, "cached_from"),
            Rows.instant(rs, "started_at"), Rows.instant(rs, "ended_at"),
            nullableLong(rs, "duration_ms"), rs.getString("error_message"),
            rs.getString("error_trace")), args);
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<Long, List<StepInput>> inputs = new HashMap<>();
    Map<Long, List<StepOutput>> outputs = new HashMap<>();
    for (List<Row> chunk : chunks(rows)) {
      Object[] ids = chunk.stream().map(Row::id).toArray();
      String in = Rows.markers(ids.length);
      for (Owned<StepInput> input : Rows.list(c, "SELECT step_record_id, input_name, "
          + "producer_step_record_id, producer_output, value_hash FROM step_inputs "
          + "WHERE step_record_id IN (" + in + ") ORDER BY input_name",
          rs -> new Owned<>(rs.getLong(1), new StepInput(rs.getString(2), rs.getLong(3),
              rs.getString(4), rs.getString(5))), ids)) {
        inputs.computeIfAbsent(input.stepRecordId(), k -> new ArrayList<>()).add(input.value());
      }
      for (Owned<StepOutput> output : Rows.list(c, "SELECT step_record_id, output_name, value_type, "
          + "value_hash, artifact_path, value_json FROM step_outputs "
          + "WHERE step_record_id IN (" + in + ") ORDER BY output_name",
          rs -> new Owned<>(rs.getLong(1), new StepOutput(rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getString(6))), ids)) {
        outputs.computeIfAbsent(output.stepRecordId(), k -> new ArrayList<>()).add(output.value());
      }
    }
    List<StepRecord> records = new ArrayList<>(rows.size());
    for (Row r : rows) {
      StepStart start = new StepStart(r.runId(), r.stepId(), r.stepName(), r.bundle(), r.version(), r.params(),
          inputs.getOrDefault(r.id(), List.of()), r.memoKey());
      records.add(new StepRecord(r.id(), start, r.status(), outputs.getOrDefault(r.id(), List.of()), r.cachedFrom(), r.startedAt(), r.endedAt(),
          r.durationMillis(), r.error(), r.trace()));
    }
    return records;
  }

  /** The step records with these ids, ordered by id. */
  static List<StepRecord> byIds(Connection c, Collection<Long> ids) throws SQLException {
    List<StepRecord> out = new ArrayList<>();
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      out.addAll(load(c, "s.id IN (" + Rows.markers(chunk.size()) + ")", chunk.toArray()));
    }
    return out;
  }

  private static final int CHUNK = 500;

  private static List<List<Row>> chunks(List<Row> rows) {
    List<List<Row>> out = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += CHUNK) {
      out.add(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
    }
    return out;
  }

  static Long nullableLong(java.sql.ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
