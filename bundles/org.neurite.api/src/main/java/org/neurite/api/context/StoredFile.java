package org.neurite.api.context;

/**
 * A file a persisted value refers to.
 *
 * @param path relative to the workspace's {@code runs/}, e.g. {@code 12/lape/scores.safetensors}
 * @param sha256 its content hash, lower-case hex
 */
public record StoredFile(String path, String sha256) {}
