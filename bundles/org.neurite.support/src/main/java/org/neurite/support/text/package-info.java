/** Text helpers for messages: the closest names to a mistyped one. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.support.text;
