/** Datasets: streamed examples with text, labels and groups, as they flow between steps. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.neurite.api.data;
