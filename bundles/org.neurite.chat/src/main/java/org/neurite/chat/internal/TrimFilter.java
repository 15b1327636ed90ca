package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;

/**
 * Jinja's {@code trim(chars=None)}: Python's {@code str.strip}. jinjava's own trims by Java's rule,
 * which keeps the no-break spaces (U+00A0, U+202F) that Python removes.
 */
final class TrimFilter implements Filter {
  @Override
  public String getName() {
    return "trim";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    return filter(var, interpreter, (Object[]) args, Map.of());
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    Object chars = kwargs != null && kwargs.containsKey("chars") ? kwargs.get("chars")
        : args != null && args.length > 0 ? args[0] : null;
    Object plain = TemplateValues.plain(var);
    String text = plain == null ? "" : plain.toString();
    return PythonStrings.strip(text, chars == null ? null : TemplateValues.plain(chars).toString(), true, true);
  }
}
