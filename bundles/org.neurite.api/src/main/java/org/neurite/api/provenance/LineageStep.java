package org.neurite.api.provenance;

import java.util.List;

/**
 * One step record in a lineage.
 *
 * @param step the step record; its {@link StepRecord#inputs()} name the producers, which appear
 *     in the same lineage
 * @param workflowName the workflow of the run it belongs to
 * @param depth 0 for the subject's own step records, 1 for their producers, and so on
 * @param artifacts the artifacts it wrote
 * @param sources the models and datasets it read
 */
public record LineageStep(
    StepRecord step, String workflowName, int depth, List<Artifact> artifacts, List<SourceIdentity> sources) {

  public LineageStep {
    artifacts = List.copyOf(artifacts);
    sources = List.copyOf(sources);
  }
}
