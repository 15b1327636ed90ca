/**
 * Files Neurite reads and writes that other tools can open too. {@link org.neurite.api.io.SafetensorsFile}
 * reads the Hugging Face safetensors format (memory-mapped, never through the heap) and
 * {@link org.neurite.api.io.SafetensorsWriter} writes it: model weights, traces, unit scores.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.io;
