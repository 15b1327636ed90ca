/**
 * Provenance: what every run did, recorded in a database as the run goes. The platform implements
 * {@link org.neurite.api.provenance.ProvenanceStore}; the workflow engine writes to it and the
 * console reads from it. Everything else here is a record carrying data in or out.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.provenance;
