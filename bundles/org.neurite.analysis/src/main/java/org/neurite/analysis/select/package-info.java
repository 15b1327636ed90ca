/** Selection rules over unit scores: top rate, top k, per hook point, thresholds, quantiles. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.analysis.select;
