package org.neurite.provenance.h2.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.neurite.api.provenance.Artifact;
import org.neurite.api.provenance.MemoHit;
import org.neurite.api.provenance.StepRecord;
import org.neurite.support.files.ContentHash;

/**
 * Finds a succeeded step record that can stand in for new work: same memo key, and every artifact
 * it recorded is still on disk, whole and unchanged (size, then SHA-256).
 */
final class MemoFinder {
  private static final System.Logger LOG = System.getLogger(MemoFinder.class.getName());

  /** How many candidates, newest first, are checked before giving up. */
  static final int MAX_CANDIDATES = 20;

  private final Database db;

  MemoFinder(Database db) {
    this.db = db;
  }

  /** A candidate with its artifacts, read in one transaction. */
  private record Candidate(StepRecord step, List<Artifact> artifacts) {}

  Optional<MemoHit> find(String memoKey, Path runsDirectory) {
    if (memoKey == null || memoKey.isEmpty()) {
      return Optional.empty();
    }
    List<Candidate> candidates = db.transaction("looking up memo key " + memoKey, c -> {
      List<StepRecord> steps = StepRecords.load(c, "s.id IN (SELECT d.id FROM step_view d "
          + "WHERE d.memo_key = ? AND d.status = 'SUCCEEDED' ORDER BY d.id DESC FETCH FIRST "
          + MAX_CANDIDATES + " ROWS ONLY)", memoKey);
      Map<Long, List<Artifact>> artifacts = steps.isEmpty() ? Map.of()
          : Rows.list(c, "SELECT " + Rows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.step_record_id IN ("
              + Rows.markers(steps.size()) + ") ORDER BY a.id", Rows::artifact,
              steps.stream().map(StepRecord::id).toArray())
              .stream().collect(Collectors.groupingBy(Artifact::stepRecordId));
      return steps.stream().sorted((a, b) -> Long.compare(b.id(), a.id()))
          .map(s -> new Candidate(s, artifacts.getOrDefault(s.id(), List.of()))).toList();
    });
    Path root = runsDirectory.toAbsolutePath().normalize();
    for (Candidate candidate : candidates) {
      Optional<String> problem = firstProblem(candidate.artifacts(), root);
      if (problem.isEmpty()) {
        return Optional.of(new MemoHit(candidate.step(), candidate.artifacts()));
      }
      LOG.log(Level.INFO, "Not reusing step record " + candidate.step().id() + " (run "
          + candidate.step().start().runId() + ", step " + candidate.step().start().stepId() + "): " + problem.get());
    }
    return Optional.empty();
  }

  /** Why these artifacts cannot be reused, or empty if all are intact. */
  static Optional<String> firstProblem(List<Artifact> artifacts, Path runsRoot) {
    for (Artifact artifact : artifacts) {
      Path file = runsRoot.resolve(artifact.path()).normalize();
      if (!file.startsWith(runsRoot)) {
        return Optional.of("artifact " + artifact.path() + " lies outside " + runsRoot);
      }
      if (!Files.isRegularFile(file)) {
        return Optional.of("artifact " + file + " no longer exists");
      }
      try {
        long size = Files.size(file);
        if (size != artifact.sizeBytes()) {
          return Optional.of("artifact " + file + " has " + size + " bytes, recorded "
              + artifact.sizeBytes());
        }
        String sha256 = ContentHash.sha256(file);
        if (!sha256.equals(artifact.sha256())) {
          return Optional.of("artifact " + file + " has SHA-256 " + sha256 + ", recorded "
              + artifact.sha256());
        }
      } catch (IOException e) {
        return Optional.of("artifact " + file + " cannot be read: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Why the artifacts of a step record (or of the record it reused) cannot be reused. */
  Optional<String> problemOf(long stepRecordId, Path runsDirectory) {
    List<Artifact> artifacts = db.transaction("reading the artifacts of step record " + stepRecordId, c -> {
      List<Long> origin = Rows.list(c, "SELECT COALESCE(cached_from, id) FROM step_view WHERE id = ?",
          rs -> rs.getLong(1), stepRecordId);
      if (origin.isEmpty()) {
        throw new IllegalArgumentException("there is no step record " + stepRecordId);
      }
      return RunQueries.artifacts(c, origin.get(0));
    });
    return firstProblem(artifacts, runsDirectory.toAbsolutePath().normalize());
  }
}
