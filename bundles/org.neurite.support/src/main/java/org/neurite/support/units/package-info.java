/** The files of analysis values: unit scores as safetensors, neuron sets as JSON, readable from Python. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.units;
