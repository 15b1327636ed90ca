package org.neurite.api.provenance;

import java.time.Instant;
import java.util.Objects;

/**
 * A run as recorded: what was given when it started, and what only a recorded run has. Times come
 * from the database's clock, so runs recorded from several hosts against one server are ordered
 * consistently.
 *
 * @param id the run id: a positive number, unique in the database, shown to users
 * @param start what {@link ProvenanceStore#beginRun} recorded (workflow, parameters, process,
 *     versions, device, workspace)
 * @param message why the run ended as it did (the failing step's error), or null
 * @param endedAt null while running
 * @param heartbeatAt the last heartbeat (or the start)
 * @param attempt 1, plus one for each {@link ProvenanceStore#resumeRun resume}
 */
public record Run(
    long id,
    RunStart start,
    RunStatus status,
    String message,
    Instant startedAt,
    Instant endedAt,
    Instant heartbeatAt,
    int attempt) {

  public Run {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(status, "status");
  }
}
