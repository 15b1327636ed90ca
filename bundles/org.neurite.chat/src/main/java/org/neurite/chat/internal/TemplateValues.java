package org.neurite.chat.internal;

import com.hubspot.jinjava.objects.Namespace;
import com.hubspot.jinjava.objects.SafeString;
import java.util.Collection;
import java.util.Map;

/** What a template's values are in Python's terms. */
final class TemplateValues {
  private TemplateValues() {}

  /** The value with jinjava's string wrapper removed. */
  static Object plain(Object value) {
    return value instanceof SafeString safe ? safe.getValue() : value;
  }

  /** Python's name for the type of a template value, for error messages. */
  static String pythonTypeName(Object value) {
    Object plain = plain(value);
    if (plain == null) {
      return "NoneType";
    }
    if (plain instanceof CharSequence) {
      return "str";
    }
    if (plain instanceof Boolean) {
      return "bool";
    }
    if (plain instanceof Double || plain instanceof Float) {
      return "float";
    }
    if (plain instanceof Number) {
      return "int";
    }
    if (plain instanceof Namespace) {
      return "Namespace";
    }
    if (plain instanceof Map) {
      return "dict";
    }
    if (plain instanceof Collection) {
      return "list";
    }
    return plain.getClass().getSimpleName();
  }
}
