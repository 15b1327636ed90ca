package org.neurite.api.provenance;

/**
 * The software a run ran on, compared by {@link ProvenanceStore#compareRuns}.
 *
 * @param neurite the Neurite version
 * @param jvm the Java runtime ({@code Runtime.version()} and vendor)
 * @param djl the DJL version
 * @param engine the tensor engine and its version, e.g. {@code PyTorch 2.7.1}
 */
public record RuntimeVersions(String neurite, String jvm, String djl, String engine) {}
