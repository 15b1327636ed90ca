package org.neurite.api.workflow;

import java.time.Duration;
import java.util.List;
import org.neurite.api.provenance.RunStatus;

/** How a run ended: its id in the provenance store, its status, and each step's outcome. */
public record RunOutcome(long runId, RunStatus status, String message, List<StepOutcome> steps, Duration duration) {
  public RunOutcome {
    steps = List.copyOf(steps);
  }
}
