package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.Lineage;
import org.neurite.api.provenance.LineageStep;
import org.neurite.api.provenance.SourceIdentity;
import org.neurite.api.provenance.StepInput;
import org.neurite.api.provenance.StepRecord;

/**
 * Walks back from step records through their inputs' producers and through reuse to the records
 * that computed them, one depth level per query batch, each record once.
 */
final class LineageTracer {
  private final Database db;
  private final RunQueries queries;

  LineageTracer(Database db, RunQueries queries) {
    this.db = db;
    this.queries = queries;
  }

  Optional<Lineage> ofArtifact(String pathOrSha256) {
    List<Artifact> found = queries.findArtifacts(pathOrSha256);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    long producer = found.get(0).stepRecordId();
    return Optional.of(db.transaction("tracing the lineage of " + pathOrSha256,
        c -> trace(c, pathOrSha256, Set.of(producer))));
  }

  Optional<Lineage> ofRun(long runId) {
    return db.transaction("tracing the lineage of run " + runId, c -> {
      if (RunQueries.run(c, runId).isEmpty()) {
        return Optional.empty();
      }
      Set<Long> own = new LinkedHashSet<>(
          Rows.list(c, "SELECT id FROM step_records WHERE run_id = ? ORDER BY id", rs -> rs.getLong(1), runId));
      return Optional.of(trace(c, "run " + runId, own));
    });
  }

  private static Lineage trace(Connection c, String subject, Set<Long> start) throws SQLException {
    List<LineageStep> steps = new ArrayList<>();
    Set<Long> seen = new HashSet<>(start);
    Set<Long> level = new LinkedHashSet<>(start);
    Map<Long, String> workflowNames = new HashMap<>();
    for (int depth = 0; !level.isEmpty(); depth++) {
      List<StepRecord> records = StepRecords.byIds(c, level);
      Map<Long, List<Artifact>> artifacts = byStep(c, "SELECT " + Rows.ARTIFACT_COLUMNS
          + " FROM artifacts a WHERE a.step_record_id IN (%s) ORDER BY a.id", level, Rows::artifact,
          Artifact::stepRecordId);
      Map<Long, List<SourceIdentity>> sources = byStep(c, "SELECT " + Rows.SOURCE_COLUMNS
          + " FROM sources o WHERE o.step_record_id IN (%s) ORDER BY o.id", level, Rows::source,
          SourceIdentity::stepRecordId);
      Set<Long> next = new LinkedHashSet<>();
      for (StepRecord record : records) {
        steps.add(new LineageStep(record, workflowName(c, workflowNames, record.start().runId()), depth,
            artifacts.getOrDefault(record.id(), List.of()), sources.getOrDefault(record.id(), List.of())));
        if (record.cachedFrom() != null && seen.add(record.cachedFrom())) {
          next.add(record.cachedFrom());
        }
        for (StepInput input : record.start().inputs()) {
          if (seen.add(input.producerStepRecordId())) {
            next.add(input.producerStepRecordId());
          }
        }
      }
      level = next;
    }
    return new Lineage(subject, steps);
  }

  private static <T> Map<Long, List<T>> byStep(Connection c, String sqlWithIn, Set<Long> ids,
      Rows.Mapper<T> mapper, java.util.function.ToLongFunction<T> owner) throws SQLException {
    return Rows.list(c, String.format(sqlWithIn, Rows.markers(ids.size())), mapper, ids.toArray())
        .stream().collect(Collectors.groupingBy(owner::applyAsLong));
  }

  private static String workflowName(Connection c, Map<Long, String> cache, long runId)
      throws SQLException {
    String name = cache.get(runId);
    if (name == null) {
      name = Rows.list(c, "SELECT workflow_name FROM runs WHERE id = ?", rs -> rs.getString(1), runId)
          .get(0);
      cache.put(runId, name);
    }
    return name;
  }
}
