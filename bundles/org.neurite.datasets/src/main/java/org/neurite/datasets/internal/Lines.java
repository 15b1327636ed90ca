package org.neurite.datasets.internal;

import java.io.BufferedReader;
import java.io.IOException;

/** Reads a file line by line, skipping blank lines and counting every line read, for messages. */
final class Lines {
  private long line;

  /** The next non-blank line, or null at the end of the file. */
  String nextNonBlank(BufferedReader in) throws IOException {
    String text;
    do {
      text = in.readLine();
      line++;
      if (text == null) {
        return null;
      }
    } while (text.isBlank());
    return text;
  }

  /** The number of the line {@link #nextNonBlank} returned last (1-based). */
  long number() {
    return line;
  }
}
