package org.neurite.datasets.internal;

import java.io.BufferedReader;
import java.io.IOException;
import org.neurite.api.data.Example;

/** Plain text: each non-blank line is one example; the whole file may carry one label and one group. */
final class TextRecords implements RecordReader {
  private final String label;
  private final String group;
  private long line;

  TextRecords(String label, String group) {
    this.label = label.isEmpty() ? null : label;
    this.group = group.isEmpty() ? null : group;
  }

  @Override
  public Example next(BufferedReader in) throws IOException {
    String text;
    do {
      text = in.readLine();
      line++;
      if (text == null) {
        return null;
      }
    } while (text.isBlank());
    return new Example(line, Long.toString(line), text.strip(), label, group);
  }
}
