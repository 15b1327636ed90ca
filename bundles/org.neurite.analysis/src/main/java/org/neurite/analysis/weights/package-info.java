/** Neurons' weights: persistent edits and the model folders they write, each neuron's input or output vector, and the unembedding and final norm that read the residual stream out into the vocabulary. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.analysis.weights;
