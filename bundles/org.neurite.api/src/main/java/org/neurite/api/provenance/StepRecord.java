package org.neurite.api.provenance;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One execution (or reuse) of one step of one run, as recorded: what was given when it started,
 * and how it went. A step that is retried after a resume gets a new record; the old one keeps its
 * status.
 *
 * @param id the step record id, unique in the database
 * @param start what {@link ProvenanceStore#beginStep} recorded (run, step id and service, provider,
 *     parameters, inputs, memo key)
 * @param outputs the outputs, once it completed (for a cached record: the reused outputs)
 * @param cachedFrom for {@link StepStatus#CACHED}: the succeeded record whose outputs were reused
 * @param endedAt null while running
 * @param durationMillis as measured by the engine; null while running or when interrupted
 */
public record StepRecord(
    long id,
    StepStart start,
    StepStatus status,
    List<StepOutput> outputs,
    Long cachedFrom,
    Instant startedAt,
    Instant endedAt,
    Long durationMillis,
    String errorMessage,
    String errorStackTrace) {

  public StepRecord {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(status, "status");
    outputs = List.copyOf(outputs);
  }
}
