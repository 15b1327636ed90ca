/** Datasets as the model reads them: tokenized examples with their groups and prompt boundaries, streamed in padded batches. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.analysis.batch;
