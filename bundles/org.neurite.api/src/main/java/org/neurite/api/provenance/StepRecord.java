package org.neurite.api.provenance;

import java.time.Instant;
import java.util.List;

/**
 * One execution (or reuse) of one step of one run, as recorded. A step that is retried after a
 * resume gets a new record; the old one keeps its status.
 *
 * @param id the step record id, unique in the database
 * @param cachedFrom for {@link StepStatus#CACHED}: the succeeded record whose outputs were reused
 * @param endedAt null while running
 * @param durationMillis as measured by the engine; null while running or when interrupted
 */
public record StepRecord(
    long id,
    long runId,
    String stepId,
    String stepName,
    String bundleSymbolicName,
    String bundleVersion,
    String paramsJson,
    List<StepInput> inputs,
    String memoKey,
    StepStatus status,
    List<StepOutput> outputs,
    Long cachedFrom,
    Instant startedAt,
    Instant endedAt,
    Long durationMillis,
    String errorMessage,
    String errorStackTrace) {

  public StepRecord {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
