/** Interventions on units of any hook point (zero, scale, clamp, mean, add, threshold, patch), models that carry them, and same-size random controls. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.analysis.intervene;
