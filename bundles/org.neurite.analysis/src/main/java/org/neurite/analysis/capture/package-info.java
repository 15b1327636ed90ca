/** Which positions count (all, last, first, response, prompt) and how a hook point's values are pooled into rows (tokens, mean, max, last). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.analysis.capture;
