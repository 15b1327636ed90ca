/**
 * Provenance: what every run did, recorded in a database as the run goes. The platform implements
 * {@link org.neurite.api.provenance.ProvenanceStore}; the workflow engine writes to it and the
 * console reads from it. Everything else here is a record carrying data in or out.
 *
 * <p>1.0.0: a recorded {@link org.neurite.api.provenance.Run} holds the
 * {@link org.neurite.api.provenance.RunStart} it began with, and a
 * {@link org.neurite.api.provenance.StepRecord} its {@link org.neurite.api.provenance.StepStart},
 * instead of repeating their fields (a major change: accessors moved).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.neurite.api.provenance;
