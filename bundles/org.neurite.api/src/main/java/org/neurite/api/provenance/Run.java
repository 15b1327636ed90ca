package org.neurite.api.provenance;

import java.time.Instant;

/**
 * A run as recorded. Times come from the database's clock, so runs recorded from several hosts
 * against one server are ordered consistently.
 *
 * @param id the run id: a positive number, unique in the database, shown to users
 * @param message why the run ended as it did (the failing step's error), or null
 * @param endedAt null while running
 * @param heartbeatAt the last heartbeat (or the start)
 * @param attempt 1, plus one for each {@link ProvenanceStore#resumeRun resume}
 */
public record Run(
    long id,
    String workflowName,
    String workflowSource,
    String workflowText,
    String workflowSha256,
    String paramsJson,
    ProcessIdentity process,
    RuntimeVersions versions,
    String device,
    String workspace,
    RunStatus status,
    String message,
    Instant startedAt,
    Instant endedAt,
    Instant heartbeatAt,
    int attempt) {}
