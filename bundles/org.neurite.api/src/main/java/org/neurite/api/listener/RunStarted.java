package org.neurite.api.listener;

/**
 * A run begins.
 *
 * @param steps how many steps the run has
 * @param device the device its tensor work runs on
 * @param attempt 1 for a new run; 2 and more when a run is resumed
 * @param completedBefore for a resumed run, how many steps completed in earlier attempts; else 0
 */
public record RunStarted(long runId, String workflowName, int steps, String device, int attempt, int completedBefore) {}
