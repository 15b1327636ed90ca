/**
 * The workspace service: folders, the rule for relative paths, remembered file hashes and atomic
 * writes. Implemented by the platform.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.workspace;
