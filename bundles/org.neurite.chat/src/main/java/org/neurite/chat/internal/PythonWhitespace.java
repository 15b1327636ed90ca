package org.neurite.chat.internal;

/**
 * Python's {@code str.isspace()} for one code point: what {@code strip()}, {@code split()} and
 * Jinja's {@code trim} remove. Wider than Java's {@code Character.isWhitespace}: it includes the
 * no-break spaces (U+00A0, U+2007, U+202F) and U+0085.
 */
final class PythonWhitespace {
  private PythonWhitespace() {}

  static boolean isSpace(int codePoint) {
    switch (codePoint) {
      case '\t', '\n', 0x0b, 0x0c, '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f,
          0x3000 -> {
        return true;
      }
      default -> {
        return codePoint >= 0x2000 && codePoint <= 0x200a;
      }
    }
  }
}
