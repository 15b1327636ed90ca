package org.neurite.chat.internal;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template text jinjava is given: the source rewritten so that jinjava reads it as jinja2 reads
 * the original. Everything jinjava does differently at the level of the text is done here, in one
 * pass that knows text from tags and string literals:
 * <ul>
 *   <li>line breaks: {@code \r\n} and {@code \r} become {@code \n}, and one line break at the very end
 *       is dropped (jinja2's keep_trailing_newline=False; jinjava's option of that name strips the
 *       rendered output instead);</li>
 *   <li>lstrip_blocks: spaces and tabs before a block tag or comment are removed only when nothing
 *       else stands between the start of the line and the tag (jinjava also strips them after text
 *       on the same line); {@code {%+} keeps them;</li>
 *   <li>{@code +%}} keeps the line break after a block tag that trim_blocks would remove;</li>
 *   <li>{@code [::-1]} (jinjava has no slice steps) becomes {@code |reverse|list};</li>
 *   <li>{@code name is defined} and {@code name is not defined} for a variable the render binds to
 *       None (such as {@code tools}) become {@code true} and {@code false}: jinja2 tells a None from
 *       a missing variable, jinjava does not.</li>
 * </ul>
 * A loop filter ({@code {% for x in xs if cond %}}), which jinjava would misread, is refused.
 * Line numbers stay those of the original, except after a {@code +%}}.
 */
final class JinjaSource {
  private static final Pattern REVERSED = Pattern.compile("\\[\\s*:\\s*:\\s*-\\s*1\\s*\\]");
  private static final Pattern RAW = Pattern.compile("\\{%[-+]?\\s*raw\\s*[-+]?%\\}");
  private static final Pattern LOOP_FILTER = Pattern.compile("\\{%[-+]?\\s*for\\s.+\\sin\\s.+\\sif\\s.*%\\}", Pattern.DOTALL);
  private static final Pattern CONDITIONAL = Pattern.compile("\\selse\\s");
  private static final Pattern END_RAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%\\}");

  private final String source;
  private final Set<String> noneVariables;
  private final StringBuilder out = new StringBuilder();
  /** Where the current line starts in {@link #out}, or -1 when a tag stands on it. */
  private int lineStart = 0;

  private JinjaSource(String source, Set<String> noneVariables) {
    this.source = source;
    this.noneVariables = noneVariables;
  }

  /** @param noneVariables names the render binds to None */
  static String prepare(String template, Set<String> noneVariables) {
    String text = template.replace("\r\n", "\n").replace('\r', '\n');
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    return new JinjaSource(text, noneVariables).rewrite();
  }

  private String rewrite() {
    int i = 0;
    while (i < source.length()) {
      int tag = nextTag(i);
      text(source.substring(i, tag));
      if (tag >= source.length()) {
        break;
      }
      i = tag(tag);
    }
    return out.toString();
  }

  private int nextTag(int from) {
    for (int i = from; i + 1 < source.length(); i++) {
      char c = source.charAt(i);
      char d = source.charAt(i + 1);
      if (c == '{' && (d == '{' || d == '%' || d == '#')) {
        return i;
      }
    }
    return source.length();
  }

  private void text(String text) {
    int newline = text.lastIndexOf('\n');
    out.append(text);
    if (newline >= 0) {
      lineStart = out.length() - text.length() + newline + 1;
    }
  }

  /** Copies the tag that starts at {@code start}; returns where the source goes on. */
  private int tag(int start) {
    char kind = source.charAt(start + 1);
    int end = kind == '#' ? commentEnd(start) : tagEnd(start, kind == '{' ? '}' : '%');
    String tag = source.substring(start, end);
    if (kind != '{') {
      if (tag.length() > 2 && tag.charAt(2) == '+') {
        tag = tag.substring(0, 2) + tag.substring(3);
      } else {
        lstrip();
      }
    }
    boolean keepNewline = false;
    if (kind == '%' && tag.endsWith("+%}")) {
      tag = tag.substring(0, tag.length() - 3) + "%}";
      keepNewline = true;
    }
    if (kind == '%') {
      refuseLoopFilter(tag, start);
    }
    out.append(kind == '#' ? tag : expressions(tag));
    lineStart = -1;
    int next = end;
    if (keepNewline && next < source.length() && source.charAt(next) == '\n') {
      out.append('\n');
    }
    if (kind == '%' && RAW.matcher(tag).matches()) {
      Matcher endRaw = END_RAW.matcher(source);
      int bodyEnd = endRaw.find(next) ? endRaw.start() : source.length();
      text(source.substring(next, bodyEnd));
      next = bodyEnd;
    }
    return next;
  }

  /**
   * {@code {% for x in xs if cond %}}: jinjava would read {@code xs if cond} as a conditional
   * expression and loop over the wrong thing, so such a template is refused rather than misread.
   */
  private void refuseLoopFilter(String tag, int start) {
    String code = codeOnly(tag);
    if (LOOP_FILTER.matcher(code).matches() && !CONDITIONAL.matcher(code).find()) {
      long line = source.substring(0, start).chars().filter(c -> c == '\n').count() + 1;
      throw new IllegalArgumentException("line " + line + ": loop filters ({% for x in xs if ... %}) are not supported;"
          + " filter with selectattr/rejectattr, or put an {% if %} inside the loop");
    }
  }

  /** The tag with its string literals emptied, so that nothing inside them matches. */
  private static String codeOnly(String tag) {
    StringBuilder code = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
          code.append(c);
        }
      } else {
        if (c == '\'' || c == '"') {
          quote = c;
        }
        code.append(c);
      }
    }
    return code.toString();
  }

  /** lstrip_blocks: drops the spaces and tabs before the tag when they are all its line holds. */
  private void lstrip() {
    if (lineStart < 0) {
      return;
    }
    for (int i = lineStart; i < out.length(); i++) {
      if (out.charAt(i) != ' ' && out.charAt(i) != '\t') {
        return;
      }
    }
    out.setLength(lineStart);
  }

  private int commentEnd(int start) {
    int end = source.indexOf("#}", start + 2);
    return end < 0 ? source.length() : end + 2;
  }

  /** The end of {@code {{ ... }}} or {@code {% ... %}}, string literals skipped. */
  private int tagEnd(int start, char close) {
    char quote = 0;
    for (int i = start + 2; i < source.length(); i++) {
      char c = source.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == close && i + 1 < source.length() && source.charAt(i + 1) == '}') {
        return i + 2;
      }
    }
    return source.length();
  }

  /** The tag with the expression rewrites applied outside its string literals. */
  private String expressions(String tag) {
    StringBuilder result = new StringBuilder();
    StringBuilder code = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (quote != 0) {
        result.append(c);
        if (c == '\\' && i + 1 < tag.length()) {
          result.append(tag.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        result.append(rewriteCode(code.toString()));
        code.setLength(0);
        result.append(c);
        quote = c;
      } else {
        code.append(c);
      }
    }
    return result.append(rewriteCode(code.toString())).toString();
  }

  private String rewriteCode(String code) {
    String result = REVERSED.matcher(code).replaceAll("|reverse|list");
    for (String name : noneVariables) {
      result = Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\s+is\\s+(not\\s+)?defined\\b")
          .matcher(result)
          .replaceAll(match -> match.group(1) == null ? "true" : "false");
    }
    return result;
  }
}
