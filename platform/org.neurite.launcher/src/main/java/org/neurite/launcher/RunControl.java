package org.neurite.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Cancels the runs of the workflow engine inside the framework. The launcher does not share the
 * API's classes (they live in a bundle), so the engine's {@code WorkflowRunner} is called
 * reflectively; without an engine there is nothing to cancel.
 */
final class RunControl {
  private static final String RUNNER = "org.neurite.api.workflow.WorkflowRunner";

  private RunControl() {}

  /** {@code WorkflowRunner.cancelRuns}: asks every run to stop; returns at once with their ids. */
  static List<Long> cancel(BundleContext context, String reason) throws Exception {
    return call(context, "cancelRuns", new Class<?>[] {String.class}, reason);
  }

  /** {@code WorkflowRunner.stopRuns}: cancels every run and waits until each has recorded its end. */
  static List<Long> stop(BundleContext context, String reason, Duration wait) throws Exception {
    return call(context, "stopRuns", new Class<?>[] {String.class, Duration.class}, reason, wait);
  }

  private static List<Long> call(BundleContext context, String name, Class<?>[] types, Object... args)
      throws Exception {
    ServiceReference<?>[] references = context.getAllServiceReferences(RUNNER, null);
    if (references == null) {
      return List.of();
    }
    Object runner = context.getService(references[0]);
    if (runner == null) {
      return List.of();
    }
    try {
      Method method = Class.forName(RUNNER, false, runner.getClass().getClassLoader()).getMethod(name, types);
      List<?> ids = (List<?>) method.invoke(runner, args);
      return ids.stream().map(id -> (Long) id).toList();
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } finally {
      context.ungetService(references[0]);
    }
  }
}
