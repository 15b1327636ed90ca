/**
 * Steps: everything a workflow can do, implemented by plugins. A plugin implements
 * {@link org.neurite.api.step.Step}, declares it with a {@link org.neurite.api.step.StepSpec}, and
 * registers it as a Declarative Services component annotated with
 * {@link org.neurite.api.step.NeuriteStep}; the workflow engine finds it in the service registry and
 * runs it against a {@link org.neurite.api.context.StepContext}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.step;
