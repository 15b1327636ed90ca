package org.neurite.workflow.internal;

import org.neurite.api.step.Step;
import org.neurite.api.step.StepSpec;

/**
 * A step service and the bundle that provides it. {@code providerVersion} goes into memo keys: for
 * a SNAPSHOT bundle it includes the bundle's install time, so a rebuilt plugin is not mistaken for
 * the one that computed an earlier result.
 */
record RegisteredStep(Step step, StepSpec spec, String bundle, String bundleVersion, String providerVersion) {}
