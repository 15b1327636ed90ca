/**
 * JSON Lines files as datasets, for a step that writes one and hands it on: {@link
 * org.neurite.datasets.jsonl.JsonlDatasets} reads a file exactly as the step {@code dataset.jsonl} does,
 * and the value is recorded and restored as that step's output is (by its file and content hash).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.datasets.jsonl;
