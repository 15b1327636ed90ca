package org.neurite.launcher;

import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Reads the records Neurite's commands return, from outside the framework. Their classes live in
 * the bundles, so a caller outside (this launcher, a test, a notebook) does not share them; it reads
 * their components by name. {@code Values.get(outcome, "status")} is {@code outcome.status()}.
 */
public final class Values {
  private Values() {}

  /**
   * The component {@code name} of the record {@code value}; with more names, the component of that
   * component, and so on: {@code get(detail, "run", "status")}.
   *
   * @throws IllegalArgumentException when a value on the way is not a record or has no such component
   */
  public static Object get(Object value, String... names) {
    Object current = value;
    for (String name : names) {
      current = component(current, name);
    }
    return current;
  }

  /** A component that is a list, e.g. {@code list(runs, "runs")}. */
  public static List<?> list(Object value, String... names) {
    Object list = get(value, names);
    if (!(list instanceof List<?> l)) {
      throw new IllegalArgumentException(String.join(".", names) + " is " + (list == null ? "null" : list.getClass().getName())
          + ", not a list");
    }
    return l;
  }

  private static Object component(Object value, String name) {
    if (value == null || !value.getClass().isRecord()) {
      throw new IllegalArgumentException("cannot read '" + name + "' of " + (value == null ? "null" : value.getClass().getName())
          + ": not a record");
    }
    for (RecordComponent component : value.getClass().getRecordComponents()) {
      if (component.getName().equals(name)) {
        try {
          java.lang.reflect.Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          return accessor.invoke(value);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + name + " of " + value.getClass().getName(), e);
        }
      }
    }
    throw new IllegalArgumentException(value.getClass().getSimpleName() + " has no component '" + name + "'; it has "
        + java.util.Arrays.stream(value.getClass().getRecordComponents()).map(RecordComponent::getName).toList());
  }
}
