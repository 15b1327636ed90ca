/** Evaluators that run alike on base, intervened and control models: next-token loss and perplexity per group. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.analysis.eval;
