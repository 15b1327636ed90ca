/** Model configuration files: {@code config.json} read with Gson. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.config;
