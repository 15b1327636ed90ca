package org.neurite.chat.internal;

import com.hubspot.jinjava.objects.Namespace;
import java.util.Collection;
import java.util.Map;

/**
 * Python's {@code str()} of a template value, which is what {@code {{ value }}} prints in jinja2:
 * {@code True}/{@code False}, floats as {@code repr}, lists and dicts as their Python repr with
 * strings quoted the way Python quotes them. A missing value (undefined, or None, which jinjava does
 * not tell apart) prints as nothing, as an undefined value does in jinja2.
 */
final class PythonRepr {
  private PythonRepr() {}

  static String str(Object value) {
    Object plain = TemplateValues.plain(value);
    if (plain == null) {
      return "";
    }
    if (plain instanceof CharSequence s) {
      return s.toString();
    }
    return repr(plain);
  }

  static String repr(Object value) {
    Object plain = TemplateValues.plain(value);
    if (plain == null) {
      return "None";
    }
    if (plain instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (plain instanceof Number n) {
      return PythonJson.number(n).replace("Infinity", "inf").replace("NaN", "nan");
    }
    if (plain instanceof CharSequence s) {
      return quote(s.toString());
    }
    if (plain instanceof Namespace namespace) {
      return "<Namespace " + mapItems(namespace, "=", false) + ">";
    }
    if (plain instanceof Map<?, ?> map) {
      return "{" + mapItems(map, ": ", true) + "}";
    }
    if (plain instanceof Collection<?> items) {
      StringBuilder out = new StringBuilder("[");
      boolean first = true;
      for (Object item : items) {
        out.append(first ? "" : ", ").append(repr(item));
        first = false;
      }
      return out.append(']').toString();
    }
    return plain.toString();
  }

  private static String mapItems(Map<?, ?> map, String separator, boolean quoteKeys) {
    StringBuilder out = new StringBuilder();
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.append(first ? "" : ", ")
          .append(quoteKeys ? repr(entry.getKey()) : String.valueOf(entry.getKey()))
          .append(separator)
          .append(repr(entry.getValue()));
      first = false;
    }
    return out.toString();
  }

  /** Python's repr of a str: single quotes unless the text has ' and no ". */
  static String quote(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(quote);
    s.codePoints().forEach(c -> {
      if (c == quote || c == '\\') {
        out.append('\\').appendCodePoint(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", c));
      } else if (!printable(c)) {
        out.append(c <= 0xff ? String.format("\\x%02x", c) : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append(quote).toString();
  }

  /** Python's str.isprintable for one code point: not a control, format, separator (but space) or unassigned. */
  private static boolean printable(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
      default -> true;
    };
  }
}
