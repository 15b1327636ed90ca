package org.neurite.chat.internal;

import com.hubspot.jinjava.objects.Namespace;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False, indent=..., separators=..., sort_keys=...)},
 * character for character: the serialization Hugging Face's {@code tojson} filter produces. Values are
 * what a template holds: null, booleans, numbers, strings, maps and collections.
 */
final class PythonJson {
  private final String indent;
  private final String itemSeparator;
  private final String keySeparator;
  private final boolean sortKeys;

  /**
   * @param indent null for one line, else the text of one level of indentation
   * @param itemSeparator null for Python's default ({@code ", "}, or {@code ","} when indenting)
   * @param keySeparator null for Python's default ({@code ": "})
   */
  PythonJson(String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
    this.indent = indent;
    this.itemSeparator = itemSeparator != null ? itemSeparator : indent == null ? ", " : ",";
    this.keySeparator = keySeparator != null ? keySeparator : ": ";
    this.sortKeys = sortKeys;
  }

  String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, 0, out);
    return out.toString();
  }

  private void write(Object value, int level, StringBuilder out) {
    Object plain = TemplateValues.plain(value);
    if (plain == null) {
      out.append("null");
    } else if (plain instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (plain instanceof Number n) {
      out.append(number(n));
    } else if (plain instanceof CharSequence s) {
      string(s.toString(), out);
    } else if (plain instanceof Map<?, ?> map && !(plain instanceof Namespace)) {
      object(map, level, out);
    } else if (plain instanceof Collection<?> items) {
      array(items, level, out);
    } else if (plain instanceof Object[] items) {
      array(List.of(items), level, out);
    } else {
      throw new IllegalArgumentException("Object of type " + TemplateValues.pythonTypeName(plain) + " is not JSON serializable");
    }
  }

  private void array(Collection<?> items, int level, StringBuilder out) {
    if (items.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    boolean first = true;
    for (Object item : items) {
      if (!first) {
        out.append(itemSeparator);
      }
      newline(level + 1, out);
      write(item, level + 1, out);
      first = false;
    }
    newline(level, out);
    out.append(']');
  }

  private void object(Map<?, ?> map, int level, StringBuilder out) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      entries.add(Map.entry(key(entry.getKey()), entry.getValue() == null ? NULL : entry.getValue()));
    }
    if (sortKeys) {
      entries.sort(Map.Entry.comparingByKey(PythonJson::compareCodePoints));
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> entry : entries) {
      if (!first) {
        out.append(itemSeparator);
      }
      newline(level + 1, out);
      string(entry.getKey(), out);
      out.append(keySeparator);
      write(entry.getValue() == NULL ? null : entry.getValue(), level + 1, out);
      first = false;
    }
    newline(level, out);
    out.append('}');
  }

  private static final Object NULL = new Object();

  private void newline(int level, StringBuilder out) {
    if (indent != null) {
      out.append('\n');
      out.append(indent.repeat(level));
    }
  }

  /** Python converts str, int, float, bool and None keys; anything else is a TypeError. */
  private static String key(Object key) {
    Object plain = TemplateValues.plain(key);
    if (plain instanceof CharSequence s) {
      return s.toString();
    }
    if (plain == null) {
      return "null";
    }
    if (plain instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (plain instanceof Number n) {
      return number(n);
    }
    throw new IllegalArgumentException("keys must be str, int, float, bool or None, not " + TemplateValues.pythonTypeName(plain));
  }

  /** Python sorts str keys by code point; Java's String.compareTo compares UTF-16 units. */
  private static int compareCodePoints(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  static String number(Number n) {
    if (n instanceof Double || n instanceof Float) {
      return PythonFloats.repr(n.doubleValue());
    }
    if (n instanceof BigDecimal d) {
      return PythonFloats.repr(d.doubleValue());
    }
    return n.toString();
  }

  /** ensure_ascii=False: only the quote, the backslash and control characters below 0x20 are escaped. */
  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
