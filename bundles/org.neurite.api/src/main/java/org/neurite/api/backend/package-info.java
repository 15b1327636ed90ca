/**
 * Tensors and devices. The platform provides one {@link org.neurite.api.backend.TensorBackend}
 * service; plugins use it and never start an engine of their own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.backend;
