package org.neurite.djl;

import java.util.concurrent.Callable;

/**
 * Runs code with the thread context class loader set to this bundle's class loader.
 *
 * <p>DJL discovers engines and native libraries through {@link java.util.ServiceLoader} and
 * class-loader resources looked up on the thread context class loader. Inside OSGi, Gogo and SCR
 * threads carry the application class loader, which finds nothing; and a failed engine lookup
 * sticks for the life of the JVM. The bundle activator therefore starts the engine and the
 * tokenizer natives through this method once; callers only need it for DJL entry points that
 * discover resources lazily.
 */
public final class DjlRuntime {
  private DjlRuntime() {}

  /** Calls {@code action} with the context class loader set to DJL's own, then restores it. */
  public static <T> T withDjlClassLoader(Callable<T> action) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(DjlRuntime.class.getClassLoader());
    try {
      return action.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
