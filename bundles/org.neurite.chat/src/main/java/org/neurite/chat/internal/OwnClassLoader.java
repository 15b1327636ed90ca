package org.neurite.chat.internal;

import java.util.function.Supplier;

/**
 * Runs jinjava with this bundle's class loader as the thread's context class loader. jinjava's EL
 * factory loads its parser classes by name through the context class loader, which in Felix (a
 * Gogo, SCR or launcher thread) is the application's and does not see the embedded jars:
 * "Class com.hubspot.jinjava.el.ExtendedSyntaxBuilder not found". The previous loader is restored.
 */
final class OwnClassLoader {
  private OwnClassLoader() {}

  static <T> T call(Supplier<T> work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(OwnClassLoader.class.getClassLoader());
    try {
      return work.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
