/**
 * Hooks: what a caller asks of one forward pass, implemented by plugins. A
 * {@link org.neurite.api.hook.HookSink} reads the value at a hook point, a
 * {@link org.neurite.api.hook.HookFunction} replaces it (an intervention), a
 * {@link org.neurite.api.hook.GradientTarget} is the scalar whose gradient gradient hooks receive.
 * {@link org.neurite.api.hook.Hooks}, an immutable value built per call, binds them to hook names;
 * nothing is installed in a model, so nothing needs cleaning up.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.api.hook;
