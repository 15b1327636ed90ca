package org.neurite.chat.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The methods of Python's {@code str} that chat templates call ({@code content.strip()},
 * {@code text.split('</think>')[-1].lstrip('\n')}, {@code role.title()}, ...), with Python's
 * semantics: whitespace as Python defines it, code points rather than UTF-16 units.
 */
final class PythonStrings {
  private PythonStrings() {}

  /** The result of calling {@code s.name(args...)}, or empty when str has no such method here. */
  static Optional<Object> call(String s, String name, Object[] args) {
    Object[] a = args == null ? new Object[0] : args;
    Object result = switch (name) {
      case "strip" -> strip(s, chars(a, 0, name), true, true);
      case "lstrip" -> strip(s, chars(a, 0, name), true, false);
      case "rstrip" -> strip(s, chars(a, 0, name), false, true);
      case "split" -> split(s, optionalText(a, 0, name), count(a, 1, -1, name));
      case "rsplit" -> rsplit(s, optionalText(a, 0, name), count(a, 1, -1, name));
      case "splitlines" -> s.lines().toList();
      case "startswith" -> affix(s, arg(a, 0, name), true);
      case "endswith" -> affix(s, arg(a, 0, name), false);
      case "upper" -> s.toUpperCase(Locale.ROOT);
      case "lower" -> s.toLowerCase(Locale.ROOT);
      case "title" -> title(s);
      case "capitalize" -> capitalize(s);
      case "replace" -> replace(s, text(a, 0, name), text(a, 1, name), count(a, 2, -1, name));
      case "find" -> find(s, text(a, 0, name), false);
      case "rfind" -> find(s, text(a, 0, name), true);
      case "count" -> (long) count(s, text(a, 0, name));
      case "join" -> join(s, arg(a, 0, name));
      case "removeprefix" -> s.startsWith(text(a, 0, name)) ? s.substring(text(a, 0, name).length()) : s;
      case "removesuffix" -> removeSuffix(s, text(a, 0, name));
      case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PythonWhitespace::isSpace);
      case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
      case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
      case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
      case "isupper" -> cased(s) && s.codePoints().noneMatch(Character::isLowerCase);
      case "islower" -> cased(s) && s.codePoints().noneMatch(Character::isUpperCase);
      default -> null;
    };
    return Optional.ofNullable(result);
  }

  static String strip(String s, String chars, boolean left, boolean right) {
    IntPredicate remove = chars == null ? PythonWhitespace::isSpace : c -> chars.codePoints().anyMatch(x -> x == c);
    int start = 0;
    int end = s.length();
    while (left && start < end && remove.test(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (right && end > start && remove.test(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  static List<String> split(String s, String separator, int maxSplit) {
    List<String> parts = new ArrayList<>();
    if (separator == null) {
      int i = 0;
      while (i < s.length()) {
        while (i < s.length() && PythonWhitespace.isSpace(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        if (i >= s.length()) {
          break;
        }
        if (maxSplit >= 0 && parts.size() == maxSplit) {
          parts.add(s.substring(i));
          return parts;
        }
        int start = i;
        while (i < s.length() && !PythonWhitespace.isSpace(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        parts.add(s.substring(start, i));
      }
      return parts;
    }
    requireSeparator(separator);
    int start = 0;
    int at;
    while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(separator, start)) >= 0) {
      parts.add(s.substring(start, at));
      start = at + separator.length();
    }
    parts.add(s.substring(start));
    return parts;
  }

  static List<String> rsplit(String s, String separator, int maxSplit) {
    if (separator == null || maxSplit < 0) {
      if (separator == null && maxSplit >= 0) {
        List<String> reversed = split(new StringBuilder(s).reverse().toString(), null, maxSplit);
        List<String> parts = new ArrayList<>();
        for (int i = reversed.size() - 1; i >= 0; i--) {
          parts.add(new StringBuilder(reversed.get(i)).reverse().toString());
        }
        return parts;
      }
      return split(s, separator, -1);
    }
    requireSeparator(separator);
    List<String> parts = new ArrayList<>();
    int end = s.length();
    int at;
    while (parts.size() < maxSplit && end >= separator.length() && (at = s.lastIndexOf(separator, end - separator.length())) >= 0) {
      parts.add(0, s.substring(at + separator.length(), end));
      end = at;
    }
    parts.add(0, s.substring(0, end));
    return parts;
  }

  /** Python's str.title(): a letter after a cased letter is lowered, any other is title-cased. */
  static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean previousCased = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (previousCased) {
        out.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
      } else {
        out.appendCodePoint(Character.toTitleCase(c));
      }
      previousCased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** Python 3.8+'s str.capitalize(): the first character title-cased, the rest lowered. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    return new String(Character.toChars(Character.toTitleCase(first)))
        + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
  }

  private static boolean cased(String s) {
    return s.codePoints().anyMatch(c -> Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c));
  }

  private static Object affix(String s, Object affix, boolean prefix) {
    if (affix instanceof Collection<?> choices) {
      for (Object choice : choices) {
        if (affixMatches(s, textOf(choice, prefix ? "startswith" : "endswith"), prefix)) {
          return true;
        }
      }
      return false;
    }
    return affixMatches(s, textOf(affix, prefix ? "startswith" : "endswith"), prefix);
  }

  private static boolean affixMatches(String s, String affix, boolean prefix) {
    return prefix ? s.startsWith(affix) : s.endsWith(affix);
  }

  private static String replace(String s, String old, String replacement, int count) {
    if (count < 0) {
      return s.replace(old, replacement);
    }
    StringBuilder out = new StringBuilder();
    int start = 0;
    int done = 0;
    int at;
    while (done < count && (at = s.indexOf(old, start)) >= 0) {
      out.append(s, start, at).append(replacement);
      start = at + old.length();
      done++;
      if (old.isEmpty()) {
        if (start < s.length()) {
          out.appendCodePoint(s.codePointAt(start));
          start += Character.charCount(s.codePointAt(start));
        } else {
          break;
        }
      }
    }
    return out.append(s.substring(Math.min(start, s.length()))).toString();
  }

  private static Object find(String s, String sub, boolean last) {
    int at = last ? s.lastIndexOf(sub) : s.indexOf(sub);
    return (long) (at < 0 ? -1 : s.codePointCount(0, at));
  }

  private static int count(String s, String sub) {
    if (sub.isEmpty()) {
      return s.codePointCount(0, s.length()) + 1;
    }
    int n = 0;
    for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
      n++;
    }
    return n;
  }

  private static String join(String separator, Object items) {
    if (!(items instanceof Iterable<?> iterable)) {
      throw new IllegalArgumentException("can only join an iterable");
    }
    List<String> parts = new ArrayList<>();
    for (Object item : iterable) {
      parts.add(textOf(item, "join"));
    }
    return String.join(separator, parts);
  }

  private static String removeSuffix(String s, String suffix) {
    return !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private static void requireSeparator(String separator) {
    if (separator.isEmpty()) {
      throw new IllegalArgumentException("empty separator");
    }
  }

  private static Object arg(Object[] args, int index, String method) {
    if (index >= args.length) {
      throw new IllegalArgumentException("str." + method + "() is missing argument " + (index + 1));
    }
    return args[index];
  }

  private static String text(Object[] args, int index, String method) {
    return textOf(arg(args, index, method), method);
  }

  private static String optionalText(Object[] args, int index, String method) {
    return index < args.length && TemplateValues.plain(args[index]) != null ? text(args, index, method) : null;
  }

  private static String chars(Object[] args, int index, String method) {
    return optionalText(args, index, method);
  }

  private static int count(Object[] args, int index, int absent, String method) {
    if (index >= args.length || args[index] == null) {
      return absent;
    }
    if (args[index] instanceof Number n) {
      return n.intValue();
    }
    throw new IllegalArgumentException("str." + method + "() needs an integer, not " + TemplateValues.pythonTypeName(args[index]));
  }

  private static String textOf(Object value, String method) {
    Object plain = TemplateValues.plain(value);
    if (plain instanceof CharSequence s) {
      return s.toString();
    }
    throw new IllegalArgumentException("str." + method + "() needs a str, not " + TemplateValues.pythonTypeName(plain));
  }
}
