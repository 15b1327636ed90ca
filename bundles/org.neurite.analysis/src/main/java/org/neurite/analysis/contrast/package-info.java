/**
 * Scores that contrast groups of rows (METHODS.md primitive P3): difference and ratio of means,
 * the LAPE entropy of the group distribution of activation probability and its λ·max variant,
 * z-scores, per-unit average precision and AUROC against a binary label, and logistic-probe
 * weights. Every function checks its inputs and throws one
 * {@link org.neurite.api.NeuriteException} that says what is wrong and how to fix it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.analysis.contrast;
