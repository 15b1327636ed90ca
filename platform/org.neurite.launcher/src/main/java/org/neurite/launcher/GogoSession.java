package org.neurite.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
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
  /** The session variable that tells Neurite's commands their output is a terminal (progress bars). */
  static final String TERMINAL = "neurite.terminal";
  /** Gogo calls the function of this name for a name that is no command; Neurite's console provides it. */
  private static final String NOT_FOUND = "default";

  private final Object session;
  private final Method execute;
  private final Method format;
  private final Method get;
  private final Method put;
  private final Method close;

  private GogoSession(Object session, Class<?> sessionType) throws NoSuchMethodException {
    this.session = session;
    this.execute = sessionType.getMethod("execute", CharSequence.class);
    this.format = sessionType.getMethod("format", Object.class, int.class);
    this.get = sessionType.getMethod("get", String.class);
    this.put = sessionType.getMethod("put", String.class, Object.class);
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
    GogoSession opened = new GogoSession(session, sessionType);
    // Neurite's commands win over same-named ones of other scopes (felix:info, gogo:...).
    opened.put("SCOPE", "neurite:*");
    return opened;
  }

  /** Says whether what the commands print reaches a terminal (progress is then a bar redrawn in place). */
  void terminal(boolean terminal) throws Exception {
    put(TERMINAL, terminal);
  }

  /**
   * Runs one command line.
   *
   * @return the result formatted as the Gogo shell prints it, or null when there is none
   * @throws Exception what the command threw, unwrapped from reflection
   */
  String execute(CharSequence commandLine) throws Exception {
    return format(call(commandLine));
  }

  /**
   * Runs one command line and returns the command's value itself (a record of the bundle that
   * defines it; {@link Values} reads it).
   *
   * @throws CommandLineException when the arguments do not fit the command, saying which and why
   */
  Object call(CharSequence commandLine) throws Exception {
    try {
      return invoke(execute, commandLine);
    } catch (IllegalArgumentException e) {
      String command = ArgumentErrors.commandOf(e.getMessage());
      if (command == null) {
        throw e;
      }
      String explained = explain(command, commandLine.toString());
      if (explained == null) {
        throw e;
      }
      throw new CommandLineException(explained, e);
    }
  }

  /** The text of a value as the Gogo shell prints it; null for null. */
  String format(Object value) throws Exception {
    if (value == null) {
      return null;
    }
    Object text = invoke(format, value, INSPECT);
    return text == null ? null : text.toString();
  }

  /** Every command name the session knows, each as {@code scope:name}. */
  Set<String> commands() throws Exception {
    Object names = invoke(get, ".commands");
    return names instanceof Set<?> set ? set.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet())
        : Set.of();
  }

  private String explain(String command, String commandLine) {
    List<String> words = CommandLine.split(commandLine);
    int at = words.indexOf(command) >= 0 ? words.indexOf(command) : words.indexOf("neurite:" + command);
    if (at < 0) {
      at = 0;
    }
    try {
      Object help = invoke(execute, "neurite:help " + CommandLine.quote(command));
      return ArgumentErrors.explain(words.get(at), words.subList(at + 1, words.size()), help);
    } catch (Exception | LinkageError unavailable) {
      // no console bundle, or it cannot describe this command: Gogo's own message stands
      return null;
    }
  }

  /**
   * Waits, right after boot, until a command is registered, so that a command run at once finds its
   * service: a name some started bundle declares is waited for (up to the timeout); any other name
   * waits only for the console's not-found handler, which answers with the closest names.
   */
  static void awaitCommand(BundleContext context, String name, long timeoutMillis) throws Exception {
    String function = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
    if (!function.matches("[A-Za-z][\\w.-]*") || registered(context, function)) {
      return;
    }
    Set<String> declared = DeclaredCommands.of(context);
    String awaited = declared.contains(function) ? function : declared.contains(NOT_FOUND) ? NOT_FOUND : null;
    if (awaited == null) {
      return;
    }
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!registered(context, awaited) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  private static boolean registered(BundleContext context, String function) throws Exception {
    // All references: the launcher need not see a command's class to know it is registered.
    ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.command.function=" + function + ")");
    return refs != null && refs.length > 0;
  }

  private void put(String name, Object value) throws Exception {
    invoke(put, name, value);
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
