package org.neurite.api.model;

/**
 * One named place in a model's forward pass where a value can be recorded, replaced or
 * differentiated.
 *
 * @param name TransformerLens-style, e.g. {@code blocks.3.mlp.hook_post}
 * @param shape its shape with sizes, e.g. {@code [batch, pos, d_mlp=1536]}
 */
public record HookPoint(String name, String shape) {}
