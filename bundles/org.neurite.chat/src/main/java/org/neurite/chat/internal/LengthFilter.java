package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Collection;
import java.util.Map;

/**
 * Jinja's {@code length} (and its alias {@code count}): Python's {@code len}. A string counts code
 * points, as Python does; jinjava counts UTF-16 units, so an emoji counted two.
 */
final class LengthFilter implements Filter {
  private final String name;

  LengthFilter(String name) {
    this.name = name;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    Object plain = TemplateValues.plain(var);
    if (plain == null) {
      return 0L;
    }
    if (plain instanceof CharSequence text) {
      return (long) text.toString().codePointCount(0, text.length());
    }
    if (plain instanceof Collection<?> items) {
      return (long) items.size();
    }
    if (plain instanceof Map<?, ?> map) {
      return (long) map.size();
    }
    if (plain.getClass().isArray()) {
      return (long) java.lang.reflect.Array.getLength(plain);
    }
    if (plain instanceof Iterable<?> items) {
      long n = 0;
      for (Object ignored : items) {
        n++;
      }
      return n;
    }
    throw new IllegalArgumentException("object of type '" + TemplateValues.pythonTypeName(plain) + "' has no len()");
  }
}
