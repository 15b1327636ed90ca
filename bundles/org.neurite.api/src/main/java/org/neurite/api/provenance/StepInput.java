package org.neurite.api.provenance;

import java.util.Objects;

/**
 * One input of a step: which earlier step record produced the value, under which output name, and
 * the value's hash. Lineage follows these links.
 *
 * @param name the input's name in the consuming step
 * @param producerStepRecordId the step record that produced the value (for a cached producer, the
 *     cached record; lineage follows it on to the record that computed it)
 * @param producerOutput the producer's output name
 * @param valueHash the hash of the value, as recorded in the producer's {@link StepOutput}
 */
public record StepInput(String name, long producerStepRecordId, String producerOutput, String valueHash) {
  public StepInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(producerOutput, "producerOutput");
    Objects.requireNonNull(valueHash, "valueHash");
  }
}
