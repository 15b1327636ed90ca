/** Helpers for code that calls DJL from inside the OSGi container. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.neurite.djl;
