package org.neurite.chat.internal;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Python's {@code datetime.now().strftime(format)} on Linux (glibc, C locale): the directives of C99
 * and POSIX, glibc's flags {@code -} (no padding), {@code _} (pad with spaces), {@code 0} and
 * {@code ^} (upper case). The time is local and naive as Hugging Face's is: {@code %z} and
 * {@code %Z} are empty. An unknown directive stays as written, as glibc leaves it.
 */
final class Strftime {
  private Strftime() {}

  static String format(String format, ZonedDateTime time) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 >= format.length()) {
        out.append(c);
        i++;
        continue;
      }
      int start = i;
      i++;
      char flag = 0;
      if ("-_0^#".indexOf(format.charAt(i)) >= 0 && i + 1 < format.length()) {
        flag = format.charAt(i);
        i++;
      }
      char directive = format.charAt(i);
      i++;
      String text = directive(directive, flag, time);
      out.append(text != null ? text : format.substring(start, i));
    }
    return out.toString();
  }

  private static String directive(char directive, char flag, ZonedDateTime t) {
    return switch (directive) {
      case 'a' -> cased(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), flag);
      case 'A' -> cased(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH), flag);
      case 'b', 'h' -> cased(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), flag);
      case 'B' -> cased(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH), flag);
      case 'c' -> cased(format("%a %b %e %H:%M:%S %Y", t), flag);
      case 'C' -> number(t.getYear() / 100, 2, '0', flag);
      case 'd' -> number(t.getDayOfMonth(), 2, '0', flag);
      case 'D' -> format("%m/%d/%y", t);
      case 'e' -> number(t.getDayOfMonth(), 2, ' ', flag);
      case 'f' -> number(t.getNano() / 1000, 6, '0', flag);
      case 'F' -> format("%Y-%m-%d", t);
      case 'G' -> number(t.get(IsoFields.WEEK_BASED_YEAR), 1, '0', flag);
      case 'g' -> number(t.get(IsoFields.WEEK_BASED_YEAR) % 100, 2, '0', flag);
      case 'H' -> number(t.getHour(), 2, '0', flag);
      case 'I' -> number(twelveHour(t), 2, '0', flag);
      case 'j' -> number(t.getDayOfYear(), 3, '0', flag);
      case 'k' -> number(t.getHour(), 2, ' ', flag);
      case 'l' -> number(twelveHour(t), 2, ' ', flag);
      case 'm' -> number(t.getMonthValue(), 2, '0', flag);
      case 'M' -> number(t.getMinute(), 2, '0', flag);
      case 'n' -> "\n";
      case 'p' -> t.getHour() < 12 ? "AM" : "PM";
      case 'P' -> t.getHour() < 12 ? "am" : "pm";
      case 'r' -> format("%I:%M:%S %p", t);
      case 'R' -> format("%H:%M", t);
      case 's' -> Long.toString(t.toEpochSecond());
      case 'S' -> number(t.getSecond(), 2, '0', flag);
      case 't' -> "\t";
      case 'T' -> format("%H:%M:%S", t);
      case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
      case 'U' -> number(weekOfYear(t, DayOfWeek.SUNDAY), 2, '0', flag);
      case 'V' -> number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', flag);
      case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
      case 'W' -> number(weekOfYear(t, DayOfWeek.MONDAY), 2, '0', flag);
      case 'x' -> format("%m/%d/%y", t);
      case 'X' -> format("%H:%M:%S", t);
      case 'y' -> number(t.getYear() % 100, 2, '0', flag);
      case 'Y' -> number(t.getYear(), 1, '0', flag);
      case 'z', 'Z' -> "";
      case '%' -> "%";
      default -> null;
    };
  }

  private static int twelveHour(ZonedDateTime t) {
    int hour = t.getHour() % 12;
    return hour == 0 ? 12 : hour;
  }

  /** C's %U / %W: weeks that start on the given day; days before the first such day are week 0. */
  private static int weekOfYear(ZonedDateTime t, DayOfWeek firstDay) {
    int dayOfYear = t.get(ChronoField.DAY_OF_YEAR) - 1;
    int weekday = (t.getDayOfWeek().getValue() - firstDay.getValue() + 7) % 7;
    return (dayOfYear + 7 - weekday) / 7;
  }

  private static String number(int value, int width, char pad, char flag) {
    String digits = Integer.toString(value);
    if (flag == '-') {
      return digits;
    }
    char padding = flag == '_' ? ' ' : flag == '0' ? '0' : pad;
    StringBuilder out = new StringBuilder();
    for (int i = digits.length(); i < width; i++) {
      out.append(padding);
    }
    return out.append(digits).toString();
  }

  private static String cased(String text, char flag) {
    return flag == '^' ? text.toUpperCase(Locale.ROOT) : text;
  }
}
