/** Types shared by every part of Neurite: the error a user can cause and fix. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api;
