/** Safetensors files: a memory-mapped reader with a checked header, and a writer. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.safetensors;
