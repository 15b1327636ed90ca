/**
 * What a model family is built from, for the platform's own families and for plugins alike: a
 * {@link org.neurite.api.family.ModelFamily} reads its config, then inside
 * {@link org.neurite.models.family.Loading#load} maps the checkpoint's tensors, through a
 * {@link org.neurite.models.family.WeightLoader}, onto the parts of the shared hooked decoder
 * ({@link org.neurite.models.family.DecoderParts}) or encoder
 * ({@link org.neurite.models.family.EncoderParts}), and {@link org.neurite.models.family.HookedModels}
 * turns the parts into a {@link org.neurite.api.model.LanguageModel} with TransformerLens hook
 * points. The building blocks are {@link org.neurite.models.family.Linear},
 * {@link org.neurite.models.family.Norm}, {@link org.neurite.models.family.Activation} and
 * {@link org.neurite.models.family.Rope}.
 *
 * <p>Provided by the models bundle; a family plugin imports this package and implements nothing
 * in it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.models.family;
