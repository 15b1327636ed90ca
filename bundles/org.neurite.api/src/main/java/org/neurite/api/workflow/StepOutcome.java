package org.neurite.api.workflow;

import java.time.Duration;
import org.neurite.api.provenance.StepStatus;

/** How one step of a run ended. {@code cachedFrom} is the step record whose outputs were reused. */
public record StepOutcome(String stepId, String stepName, StepStatus status, Duration duration, Long cachedFrom) {}
