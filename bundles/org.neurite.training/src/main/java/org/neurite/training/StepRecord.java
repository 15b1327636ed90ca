package org.neurite.training;

/**
 * What one optimizer step did.
 *
 * @param step the step's number, from 1
 * @param lr the learning rate it used
 * @param loss the batch's mean next-token cross-entropy, before the update
 * @param gradNorm the gradients' total L2 norm before clipping
 * @param clipped whether they were scaled down to the maximum norm
 */
public record StepRecord(int step, double lr, double loss, double gradNorm, boolean clipped) {}
