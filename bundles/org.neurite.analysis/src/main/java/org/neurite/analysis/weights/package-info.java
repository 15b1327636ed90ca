/** Persistent weight edits of neurons and the model folders they write. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.analysis.weights;
