package org.neurite.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A Gogo command session driven from outside the framework. The launcher's class loader cannot see
 * Gogo's API classes (they live in the gogo.runtime bundle), so the session is called reflectively
 * through the interfaces loaded by that bundle.
 */
final class GogoSession implements AutoCloseable {
  private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
  private static final String SESSION = "org.apache.felix.service.command.CommandSession";
  /** Converter.INSPECT: the format the Gogo shell uses to print a command's result. */
  private static final int INSPECT = 0;

  private final Object session;
  private final Method execute;
  private final Method format;
  private final Method close;

  private GogoSession(Object session, Class<?> sessionType) throws NoSuchMethodException {
    this.session = session;
    this.execute = sessionType.getMethod("execute", CharSequence.class);
    this.format = sessionType.getMethod("format", Object.class, int.class);
    this.close = sessionType.getMethod("close");
  }

  static GogoSession open(BundleContext context, InputStream in, OutputStream out, OutputStream err, long timeoutMillis)
      throws Exception {
    // All references, not only those whose classes this (foreign) class loader shares: it shares none.
    long deadline = System.currentTimeMillis() + timeoutMillis;
    ServiceReference<?>[] references = context.getAllServiceReferences(PROCESSOR, null);
    while (references == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      references = context.getAllServiceReferences(PROCESSOR, null);
    }
    if (references == null) {
      throw new LaunchException("The Gogo command processor did not start; see the log for the bundle that failed.");
    }
    Object processor = context.getService(references[0]);
    ClassLoader gogo = processor.getClass().getClassLoader();
    Class<?> processorType = gogo.loadClass(PROCESSOR);
    Class<?> sessionType = gogo.loadClass(SESSION);
    Object session = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
        .invoke(processor, in, out, err);
    // Neurite's commands win over same-named ones of other scopes (felix:info, gogo:...).
    sessionType.getMethod("put", String.class, Object.class).invoke(session, "SCOPE", "neurite:*");
    return new GogoSession(session, sessionType);
  }

  /**
   * Runs one command line.
   *
   * @return the result formatted as the Gogo shell prints it, or null when there is none
   * @throws Exception what the command threw, unwrapped from reflection
   */
  String execute(CharSequence commandLine) throws Exception {
    Object result = invoke(execute, commandLine);
    if (result == null) {
      return null;
    }
    Object text = invoke(format, result, INSPECT);
    return text == null ? null : text.toString();
  }

  /** Waits until a command is registered, so that a command run right after boot finds its service. */
  static void awaitCommand(BundleContext context, String name, long timeoutMillis) throws Exception {
    String function = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
    if (!function.matches("[A-Za-z][\\w.-]*")) {
      return;
    }
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      // All references: the launcher need not see a command's class to know it is registered.
      ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.command.function=" + function + ")");
      if (refs != null && refs.length > 0) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private Object invoke(Method method, Object... args) throws Exception {
    try {
      return method.invoke(session, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    invoke(close);
  }
}
