package org.neurite.analysis.batch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.data.Example;
import org.neurite.api.model.TokenBatch;

/**
 * A dataset streamed as padded batches: at most {@code size} examples each, padded on the side the
 * model needs (right for encoders, either for decoders since position ids follow the mask).
 * Nothing but the current batch is held in memory.
 */
public final class Batches implements Iterator<Batches.Batch> {

  /** One batch: its examples and the token batch the model runs. */
  public record Batch(List<TokenizedExample> examples, TokenBatch tokens) {
    /** The group of each sequence, in batch order. */
    public List<String> groups() {
      return examples.stream().map(TokenizedExample::group).toList();
    }
  }

  private final Iterator<Example> examples;
  private final Tokenization tokenization;
  private final String groupField;
  private final int size;
  private final TokenBatch.Padding padding;

  /**
   * @param examples the dataset's examples (the caller closes the stream)
   * @param groupField the label field naming each example's group, see {@link Tokenization#group}
   */
  public Batches(Stream<Example> examples, Tokenization tokenization, String groupField, int size,
      TokenBatch.Padding padding) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size " + size + " must be at least 1");
    }
    this.examples = examples.iterator();
    this.tokenization = tokenization;
    this.groupField = groupField;
    this.size = size;
    this.padding = padding;
  }

  @Override
  public boolean hasNext() {
    return examples.hasNext();
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    List<TokenizedExample> chunk = new ArrayList<>(size);
    while (chunk.size() < size && examples.hasNext()) {
      chunk.add(tokenization.tokenize(examples.next(), groupField));
    }
    return new Batch(List.copyOf(chunk), TokenBatch.of(chunk.stream().map(TokenizedExample::ids).toList(), padding));
  }

  /**
   * The corrupted counterpart of a batch: each example's {@code contrast().corrupted()} prompt in
   * its place (same group), tokenised and padded the same way.
   *
   * @param where the step, for the message when an example has no corrupted prompt
   */
  public Batch corrupted(Batch clean, String where) {
    List<TokenizedExample> chunk = new ArrayList<>(clean.examples().size());
    for (TokenizedExample e : clean.examples()) {
      Example x = e.example();
      if (x.contrast() == null || x.contrast().corrupted() == null) {
        throw new NeuriteException(where + ": example " + x.id() + " (line " + x.line() + ") has no corrupted prompt;"
            + " this method needs clean/corrupted pairs. Name the dataset's corrupted field (the dataset step's"
            + " corrupted parameter).");
      }
      Example corrupt = new Example(x.line(), x.id(), x.contrast().corrupted(), x.label(), x.group(), x.labels(), null,
          null, x.contrast(), null);
      chunk.add(tokenization.tokenize(corrupt, groupField));
    }
    return new Batch(List.copyOf(chunk), TokenBatch.of(chunk.stream().map(TokenizedExample::ids).toList(), padding));
  }
}
