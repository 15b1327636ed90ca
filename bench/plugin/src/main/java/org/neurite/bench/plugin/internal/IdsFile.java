package org.neurite.bench.plugin.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.TokenBatch;

/** A batch of token ids in a text file: one sequence per line, ids separated by spaces or commas. */
final class IdsFile {
  private IdsFile() {}

  static TokenBatch read(Path file) {
    List<long[]> sequences = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          sequences.add(Arrays.stream(line.trim().split("[\\s,]+")).mapToLong(Long::parseLong).toArray());
        }
      }
    } catch (IOException e) {
      throw new NeuriteException("Cannot read the ids file " + file + ": " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      throw new NeuriteException("The ids file " + file + " holds something that is not a token id (" + e.getMessage()
          + "); write one sequence per line, ids separated by spaces.", e);
    }
    if (sequences.isEmpty()) {
      throw new NeuriteException("The ids file " + file + " holds no sequence; write one sequence per line.");
    }
    return TokenBatch.of(sequences, TokenBatch.Padding.RIGHT);
  }
}
