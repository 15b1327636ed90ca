/**
 * Decoders on parameters a trainer owns: {@link org.neurite.models.training.TrainableDecoders}
 * builds the same hooked {@link org.neurite.api.model.LanguageModel} a folder loads into, on named
 * arrays (Hugging Face names) that the caller updates in place between forward passes, so that
 * gradients of a loss reach them and every hook point works on the model being trained.
 *
 * <p>Provided by the models bundle; a training bundle imports this package and implements nothing in it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.models.training;
