/** Model configuration files: {@code config.json} read with Gson, and the check of {@code tokenizer.json}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.config;
