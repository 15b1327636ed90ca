package org.neurite.api.provenance;

import java.util.List;

/**
 * A run with everything recorded about it. For a {@link StepStatus#CACHED} step the artifacts,
 * metrics and sources are those of the step record it reused (they carry that record's id).
 *
 * @param steps every step record of the run, in the order they started
 * @param producers the step records of other runs whose outputs its steps took as inputs (a
 *     workflow's {@code ${runs.N.step.output}}), by id
 */
public record RunDetail(
    Run run,
    List<StepRecord> steps,
    List<StepRecord> producers,
    List<Artifact> artifacts,
    List<Metric> metrics,
    List<SourceIdentity> sources) {

  public RunDetail {
    steps = List.copyOf(steps);
    producers = List.copyOf(producers);
    artifacts = List.copyOf(artifacts);
    metrics = List.copyOf(metrics);
    sources = List.copyOf(sources);
  }
}
