/**
 * Watching a run: {@link org.neurite.api.listener.RunListener}, implemented by whoever starts a
 * run (the console draws progress from it; a notebook or a chat front end may log or stream it)
 * and called by the workflow engine as the run goes. Only consumer types live here.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.api.listener;
