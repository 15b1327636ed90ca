package org.neurite.api.provenance;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ProvenanceStore#beginStep} records when a step starts (or is found cached).
 *
 * @param runId the run
 * @param stepId the step's id in the workflow
 * @param stepName the step service's name, e.g. {@code dataset.jsonl}
 * @param bundleSymbolicName the bundle that provided the step service
 * @param bundleVersion that bundle's version
 * @param paramsJson the step's resolved parameters as a JSON object
 * @param inputs where each input came from
 * @param memoKey the key under which equal work is found again (step name, provider version,
 *     parameter hash and input hashes, hashed by the engine); null for a step never reused
 */
public record StepStart(
    long runId,
    String stepId,
    String stepName,
    String bundleSymbolicName,
    String bundleVersion,
    String paramsJson,
    List<StepInput> inputs,
    String memoKey) {

  public StepStart {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(stepName, "stepName");
    Objects.requireNonNull(bundleSymbolicName, "bundleSymbolicName");
    Objects.requireNonNull(bundleVersion, "bundleVersion");
    Objects.requireNonNull(paramsJson, "paramsJson");
    inputs = List.copyOf(inputs);
  }
}
