/** Files: SHA-256 content hashes, the workspace's remembered file hashes, atomic writes, where a recorded output lies. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.neurite.support.files;
