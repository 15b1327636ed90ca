package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's {@code tojson}: {@code json.dumps(x, ensure_ascii=False, indent=None,
 * separators=None, sort_keys=False)}, arguments by position or by name. Unlike Jinja's own filter it
 * escapes no HTML characters.
 */
final class ToJsonFilter implements Filter {
  @Override
  public String getName() {
    return "tojson";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    return filter(var, interpreter, (Object[]) args, Map.of());
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    Object ensureAscii = argument(args, kwargs, 0, "ensure_ascii");
    if (ensureAscii != null && Boolean.TRUE.equals(ensureAscii)) {
      throw new IllegalArgumentException("tojson(ensure_ascii=True) is not supported; Hugging Face renders with ensure_ascii=False");
    }
    String indent = indent(argument(args, kwargs, 1, "indent"));
    String itemSeparator = null;
    String keySeparator = null;
    Object separators = argument(args, kwargs, 2, "separators");
    if (separators instanceof List<?> pair && pair.size() == 2) {
      itemSeparator = String.valueOf(TemplateValues.plain(pair.get(0)));
      keySeparator = String.valueOf(TemplateValues.plain(pair.get(1)));
    } else if (separators != null) {
      throw new IllegalArgumentException("tojson separators must be a pair (item separator, key separator)");
    }
    boolean sortKeys = Boolean.TRUE.equals(argument(args, kwargs, 3, "sort_keys"));
    return new PythonJson(indent, itemSeparator, keySeparator, sortKeys).dumps(var);
  }

  private static Object argument(Object[] args, Map<String, Object> kwargs, int position, String name) {
    if (kwargs != null && kwargs.containsKey(name)) {
      return TemplateValues.plain(kwargs.get(name));
    }
    return args != null && position < args.length ? TemplateValues.plain(args[position]) : null;
  }

  /** Python: an int n indents by n spaces (0: newlines only), a str by itself. */
  private static String indent(Object indent) {
    if (indent == null) {
      return null;
    }
    if (indent instanceof Number n) {
      return " ".repeat(Math.max(0, n.intValue()));
    }
    return indent.toString();
  }
}
