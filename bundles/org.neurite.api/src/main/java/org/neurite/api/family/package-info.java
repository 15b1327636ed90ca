/**
 * Model families: what a plugin implements to add an architecture. A
 * {@link org.neurite.api.family.ModelFamily} says which {@code config.json} it accepts and loads a
 * {@link org.neurite.api.model.ModelSource} into a {@link org.neurite.api.model.LanguageModel}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.api.family;
