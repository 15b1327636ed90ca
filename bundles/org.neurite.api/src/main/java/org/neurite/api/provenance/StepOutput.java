package org.neurite.api.provenance;

import java.util.Objects;

/**
 * One output of a step.
 *
 * @param name the declared output name
 * @param type the value's type as the engine names it (e.g. {@code Dataset}, {@code NeuronSet})
 * @param valueHash a hash of the value that equal values share (for a file, its SHA-256)
 * @param artifactPath the artifact holding the value, relative to the workspace's runs/ folder,
 *     or null when the value has no file
 * @param valueJson the value itself as JSON when it is small (a number, a string, a short list),
 *     or null
 */
public record StepOutput(String name, String type, String valueHash, String artifactPath, String valueJson) {
  public StepOutput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(valueHash, "valueHash");
  }
}
