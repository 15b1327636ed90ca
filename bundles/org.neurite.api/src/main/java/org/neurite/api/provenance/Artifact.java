package org.neurite.api.provenance;

import java.time.Instant;

/**
 * A file a step wrote, recorded only once it is complete (written under a temporary name, then
 * renamed).
 *
 * @param id the artifact id
 * @param stepRecordId the step record that wrote it
 * @param runId that step record's run
 * @param kind what it holds, e.g. {@code neuron-set}, {@code unit-scores}, {@code report}
 * @param path relative to the workspace's runs/ folder, with {@code /} separators
 * @param sha256 lower-case hex SHA-256 of the content
 * @param sizeBytes the size in bytes
 */
public record Artifact(
    long id, long stepRecordId, long runId, String kind, String path, String sha256, long sizeBytes,
    Instant recordedAt) {}
