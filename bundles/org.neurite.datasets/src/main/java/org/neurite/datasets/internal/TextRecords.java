package org.neurite.datasets.internal;

import java.io.BufferedReader;
import java.io.IOException;
import org.neurite.api.data.Example;

/** Plain text: each non-blank line is one example; the whole file may carry one label and one group. */
final class TextRecords implements RecordReader {
  private final String label;
  private final String group;
  private final Lines lines = new Lines();

  TextRecords(String label, String group) {
    this.label = label.isEmpty() ? null : label;
    this.group = group.isEmpty() ? null : group;
  }

  @Override
  public Example next(BufferedReader in) throws IOException {
    String text = lines.nextNonBlank(in);
    return text == null ? null : new Example(lines.number(), Long.toString(lines.number()), text.strip(), label, group);
  }
}
