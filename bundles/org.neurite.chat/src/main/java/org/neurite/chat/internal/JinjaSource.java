package org.neurite.chat.internal;

/**
 * What jinja2's lexer does to a template's text before anything else, done here because jinjava
 * does not: every line break ({@code \r\n}, {@code \r}, {@code \n}) becomes {@code \n}, and one
 * line break at the very end is dropped (keep_trailing_newline=False). jinjava's own
 * keep-trailing-newline option strips the rendered output instead, which is not the same thing.
 */
final class JinjaSource {
  private JinjaSource() {}

  static String normalize(String template) {
    String text = template.replace("\r\n", "\n").replace('\r', '\n');
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
