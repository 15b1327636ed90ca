/**
 * Models with hook points. The platform implements {@link org.neurite.api.model.LanguageModel},
 * {@link org.neurite.api.model.Forward} and {@link org.neurite.api.model.ModelRepository};
 * a plugin that adds an architecture implements {@link org.neurite.api.model.ModelFamily}.
 *
 * <p>Every intermediate value of a forward pass has a name in the TransformerLens convention
 * ({@code blocks.3.mlp.hook_post}); {@link org.neurite.api.model.Hooks}, built per call, records a
 * value, replaces it, or asks for its gradient. Nothing installed by one call is seen by another.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.model;
