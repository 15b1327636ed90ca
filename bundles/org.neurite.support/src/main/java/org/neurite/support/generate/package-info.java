/** The one on-disk form of generated text: a JSON line per example, shared by the generate step and the console. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.generate;
