/** Attribution of a scalar target to units: gradient x activation, integrated gradients, with the targets they explain. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.analysis.attribution;
