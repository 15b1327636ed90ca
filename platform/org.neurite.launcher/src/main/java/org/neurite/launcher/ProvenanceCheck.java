package org.neurite.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Before any command runs, asks the provenance store for one run. A store whose database cannot be
 * used (a lab server that is down, a corrupt file, wrong credentials) answers with one sentence
 * saying why and what to do, which becomes the launcher's message (exit status 2) instead of
 * failures in whichever command touches it first. The launcher cannot see the API's classes, so
 * the store is called reflectively through the interface its bundle loads.
 */
final class ProvenanceCheck {
  private static final String STORE = "org.neurite.api.provenance.ProvenanceStore";

  private ProvenanceCheck() {}

  static void require(BundleContext context, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    ServiceReference<?>[] references = context.getAllServiceReferences(STORE, null);
    while (references == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      references = context.getAllServiceReferences(STORE, null);
    }
    if (references == null) {
      throw new LaunchException("No provenance store registered within " + timeoutMillis / 1000
          + " s; the log says which bundle failed. A rebuilt distribution (./neurite) usually fixes a stale one.");
    }
    Object store = context.getService(references[0]);
    if (store == null) {
      throw new LaunchException("The provenance store did not start (a bug); the log has the stack trace.");
    }
    Method listRuns = Class.forName(STORE, false, store.getClass().getClassLoader()).getMethod("listRuns", int.class);
    try {
      listRuns.invoke(store, 0);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      Throwable userError = Failure.userError(cause);
      if (userError != null) {
        throw new LaunchException(userError.getMessage(), cause);
      }
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }
}
