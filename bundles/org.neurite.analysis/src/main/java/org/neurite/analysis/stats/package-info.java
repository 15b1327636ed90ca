/**
 * Streaming, mergeable per-unit statistics per group (METHODS.md primitive P2).
 *
 * <p>A {@link org.neurite.analysis.stats.UnitStatsAccumulator} is fed batches of rows
 * ({@code [n, U]}: tokens or pooled examples, padding already dropped) with the group of each
 * row, keeps its state in native memory of its own that does not grow with the number of rows,
 * and can be merged with another accumulator over other rows. A
 * {@link org.neurite.analysis.stats.UnitStats} snapshot holds the results as plain Java arrays:
 * immutable, mergeable, and written to disk by {@link org.neurite.analysis.stats.StatsFiles}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.neurite.analysis.stats;
