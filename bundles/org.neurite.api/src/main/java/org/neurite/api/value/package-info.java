/**
 * Values that flow between steps, persisted by type: a bundle that owns a value type registers its
 * {@link org.neurite.api.value.ValueCodec}, and the engine records and restores every output of
 * that type through it, whatever step produced it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.value;
