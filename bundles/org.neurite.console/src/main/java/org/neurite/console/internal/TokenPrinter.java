package org.neurite.console.internal;

import java.io.PrintStream;
import java.util.Arrays;
import org.neurite.api.model.TextTokenizer;

/**
 * Prints generated tokens as they come. With a tokenizer it prints what each token adds to the
 * decoding of all tokens so far (decoding one token alone loses the spaces of SentencePiece
 * tokenizers, and a character split over byte tokens shows only once complete), as transformers'
 * {@code TextStreamer} does; without one, the ids.
 */
final class TokenPrinter {
  private final PrintStream out;
  private final TextTokenizer tokenizer;
  private long[] ids = new long[0];
  private String printed = "";

  TokenPrinter(PrintStream out, TextTokenizer tokenizer) {
    this.out = out;
    this.tokenizer = tokenizer;
  }

  void add(long token) {
    ids = Arrays.copyOf(ids, ids.length + 1);
    if (tokenizer == null) {
      out.print((ids.length == 1 ? "" : " ") + token);
      out.flush();
      return;
    }
    ids[ids.length - 1] = token;
    String text = tokenizer.decode(ids);
    // a partial character decodes to U+FFFD: wait until the bytes that complete it arrive
    if (text.startsWith(printed) && !text.endsWith("\uFFFD")) {
      out.print(text.substring(printed.length()));
      printed = text;
    }
    out.flush();
  }

  /** Ends the line. */
  void end() {
    out.println();
    out.flush();
  }
}
