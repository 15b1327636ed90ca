package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Locale;
import java.util.Map;

/**
 * Jinja's {@code title} filter (not Python's str.title): the text is cut before and after each run
 * of whitespace, dashes and opening brackets, and each piece gets its first character upper-cased
 * and the rest lower-cased. jinjava's capitalizes only after whitespace.
 */
final class TitleFilter implements Filter {
  private static final String SEPARATORS = "-({[<";

  @Override
  public String getName() {
    return "title";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    return filter(var, interpreter, (Object[]) args, Map.of());
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    Object plain = TemplateValues.plain(var);
    String text = plain == null ? "" : PythonRepr.str(plain);
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int start = i;
      boolean separator = isSeparator(text.codePointAt(i));
      while (i < text.length() && isSeparator(text.codePointAt(i)) == separator) {
        i += Character.charCount(text.codePointAt(i));
      }
      String piece = text.substring(start, i);
      if (separator) {
        out.append(piece);
      } else {
        int first = piece.codePointAt(0);
        out.append(new String(Character.toChars(first)).toUpperCase(Locale.ROOT))
            .append(piece.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
      }
    }
    return out.toString();
  }

  private static boolean isSeparator(int codePoint) {
    return SEPARATORS.indexOf(codePoint) >= 0 || PythonWhitespace.isSpace(codePoint);
  }
}
