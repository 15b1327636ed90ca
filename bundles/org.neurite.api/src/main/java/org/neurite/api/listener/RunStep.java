package org.neurite.api.listener;

/**
 * One step of a run, as a listener is told of it.
 *
 * @param index its place in the order the steps run, from 1
 * @param total how many steps the run has
 * @param stepId its id in the workflow file
 * @param stepName the name of the step service it uses, e.g. {@code dataset.jsonl}
 */
public record RunStep(long runId, int index, int total, String stepId, String stepName) {}
