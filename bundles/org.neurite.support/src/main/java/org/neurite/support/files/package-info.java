/** Files: SHA-256 content hashes, the workspace's remembered file hashes, atomic writes. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.files;
