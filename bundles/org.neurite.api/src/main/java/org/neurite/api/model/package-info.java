/**
 * Models with hook points, as the platform provides them: {@link org.neurite.api.model.LanguageModel},
 * {@link org.neurite.api.model.Forward}, {@link org.neurite.api.model.ModelRepository},
 * {@link org.neurite.api.model.ModelSource} and the records they exchange
 * ({@link org.neurite.api.model.TokenBatch}, {@link org.neurite.api.model.ModelSpec}, ...).
 * Plugins call these; what plugins implement is in {@code org.neurite.api.hook} (hooks) and
 * {@code org.neurite.api.family} (architectures).
 *
 * <p>Every intermediate value of a forward pass has a name in the TransformerLens convention
 * ({@code blocks.3.mlp.hook_post}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.api.model;
