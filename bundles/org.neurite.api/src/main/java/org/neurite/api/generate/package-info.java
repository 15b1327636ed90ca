/**
 * Text generation with hooks, as the platform provides it: {@link org.neurite.api.model.LanguageModel#generate}
 * decodes token by token with a key/value cache, under {@link org.neurite.api.generate.GenerationOptions}
 * (greedy, temperature, top-k, top-p, a recorded seed, EOS ids, stop strings, a token budget), with
 * {@link org.neurite.api.generate.GenerationHooks} applied at every decoding step, and gives one
 * {@link org.neurite.api.generate.Generated} per prompt. What plugins implement for generation (a
 * {@link org.neurite.api.hook.GenerationSink}) is in {@code org.neurite.api.hook}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.generate;
