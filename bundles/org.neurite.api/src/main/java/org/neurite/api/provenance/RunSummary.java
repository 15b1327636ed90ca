package org.neurite.api.provenance;

import java.time.Instant;

/**
 * One line of {@link ProvenanceStore#listRuns}: a run without its texts, with counts of its step
 * records.
 *
 * @param endedAt null while running
 * @param steps how many step records the run has
 * @param succeeded how many of them are {@link StepStatus#SUCCEEDED}
 * @param cached how many of them are {@link StepStatus#CACHED}
 * @param failed how many of them are {@link StepStatus#FAILED}
 */
public record RunSummary(
    long id,
    String workflowName,
    RunStatus status,
    String user,
    String host,
    String device,
    Instant startedAt,
    Instant endedAt,
    int steps,
    int succeeded,
    int cached,
    int failed) {}
