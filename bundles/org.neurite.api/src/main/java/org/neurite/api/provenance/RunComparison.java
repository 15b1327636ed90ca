package org.neurite.api.provenance;

import java.util.List;

/**
 * Two runs side by side, each section sorted by key.
 *
 * @param params top-level workflow parameters, values as compact JSON
 * @param versions workflow hash, Neurite, JVM, DJL, engine, device, host
 * @param steps per step id: the status and provider of its latest record
 * @param metrics per {@code stepId/group/name}: the latest value
 */
public record RunComparison(
    Run left,
    Run right,
    List<ComparedValue> params,
    List<ComparedValue> versions,
    List<ComparedValue> steps,
    List<ComparedValue> metrics) {

  public RunComparison {
    params = List.copyOf(params);
    versions = List.copyOf(versions);
    steps = List.copyOf(steps);
    metrics = List.copyOf(metrics);
  }
}
