/** Running workflows: the engine's service, used by the console and by anyone scripting Neurite. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.api.workflow;
