package org.neurite.api.provenance;

import java.time.Instant;

/**
 * A number a step reported.
 *
 * @param stepRecordId the step record that reported it
 * @param stepId that record's step id in its workflow
 * @param group the group it belongs to (e.g. a language, a split); empty when none
 */
public record Metric(
    long id, long stepRecordId, String stepId, String name, String group, double value, Instant recordedAt) {}
