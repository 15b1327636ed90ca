package org.neurite.api.provenance;

import java.time.Instant;

/**
 * The identity of a model or dataset a step read: what it is called, where it came from, and a
 * hash of its content, so that two runs can tell whether they read the same thing.
 *
 * @param sourcePath the folder or file it was read from
 * @param contentHash a hash over the content of its files (e.g. SHA-256 over the sorted file
 *     hashes), lower-case hex
 * @param detailsJson anything else worth keeping (family, layers, revision, line count), as a JSON
 *     object, or null
 */
public record SourceIdentity(
    long id,
    long stepRecordId,
    SourceKind kind,
    String name,
    String sourcePath,
    String contentHash,
    String detailsJson,
    Instant recordedAt) {}
