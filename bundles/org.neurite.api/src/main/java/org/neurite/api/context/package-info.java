/**
 * What the platform gives a running step: {@link org.neurite.api.context.StepContext} (parameters,
 * inputs, the tensor backend, metrics, sources, cancellation), {@link org.neurite.api.context.Artifacts}
 * (whole-or-nothing files, hashed and recorded) and {@link org.neurite.api.context.Progress}. Implemented
 * by the workflow engine; plugins only call them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.neurite.api.context;
