package org.neurite.report.internal;

import java.util.List;
import java.util.Locale;

/** Small pieces of HTML: escaping, ids, numbers, table rows. */
final class Html {
  private Html() {}

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** An element id from free text: lower-case letters, digits and dashes. */
  static String id(String... parts) {
    String joined = String.join("-", parts).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return joined.replaceAll("^-+|-+$", "");
  }

  /** A number as the Markdown summary writes it (six significant digits); empty for NaN. */
  static String number(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
  }

  /** One table row of cells, each escaped; {@code th} for a header row. */
  static String row(boolean th, List<String> cells) {
    String tag = th ? "th" : "td";
    StringBuilder out = new StringBuilder("<tr>");
    cells.forEach(c -> out.append('<').append(tag).append('>').append(escape(c)).append("</").append(tag).append('>'));
    return out.append("</tr>\n").toString();
  }

  /** A table: a header row and body rows. */
  static String table(String cssClass, List<String> header, List<List<String>> rows) {
    StringBuilder out = new StringBuilder("<table class=\"").append(cssClass).append("\"><thead>\n");
    out.append(row(true, header)).append("</thead><tbody>\n");
    rows.forEach(r -> out.append(row(false, r)));
    return out.append("</tbody></table>\n").toString();
  }
}
