/**
 * Steps: everything a workflow can do. Plugin authors implement {@link org.neurite.api.step.Step}
 * and register it as a Declarative Services component annotated with
 * {@link org.neurite.api.step.NeuriteStep}; the workflow engine finds it in the service registry.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.step;
