/**
 * The values analyses exchange: {@link org.neurite.api.analysis.Unit} (hook point + index),
 * {@link org.neurite.api.analysis.UnitScores} (a score per unit, per hook point and group) and
 * {@link org.neurite.api.analysis.NeuronSet} (selected units with score and group, and their set
 * algebra). Records only; their files are read and written by {@code org.neurite.support.units}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.analysis;
