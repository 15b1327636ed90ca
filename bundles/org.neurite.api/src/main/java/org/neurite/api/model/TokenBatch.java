package org.neurite.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurite.api.NeuriteException;

/**
 * Sequences of token ids padded to one length, with the mask that says which positions are real.
 *
 * <p>Padding goes on the right (usual for encoders and for scoring) or on the left (usual for
 * generation with decoders). Position ids count real tokens only, as Hugging Face computes them
 * for padded batches ({@code cumsum(mask) - 1}), so every real position has the same value in a
 * batch as when its sequence runs alone, whichever side is padded.
 */
public final class TokenBatch {
  /** Which side padding goes on. */
  public enum Padding { LEFT, RIGHT }

  private final long[][] sequences;
  private final long[][] tokenTypes;
  private final Padding padding;
  private final int length;

  private TokenBatch(long[][] sequences, long[][] tokenTypes, Padding padding) {
    this.sequences = sequences;
    this.tokenTypes = tokenTypes;
    this.padding = padding;
    int max = 0;
    for (long[] s : sequences) {
      max = Math.max(max, s.length);
    }
    this.length = max;
  }

  /**
   * A batch of sequences.
   *
   * @throws NeuriteException if the batch or a sequence is empty
   */
  public static TokenBatch of(List<long[]> sequences, Padding padding) {
    if (sequences.isEmpty()) {
      throw new NeuriteException("A token batch needs at least one sequence.");
    }
    long[][] copy = new long[sequences.size()][];
    for (int i = 0; i < copy.length; i++) {
      if (sequences.get(i).length == 0) {
        throw new NeuriteException("Sequence " + i + " of the batch has no tokens; every sequence needs at least one.");
      }
      copy[i] = sequences.get(i).clone();
    }
    return new TokenBatch(copy, null, padding);
  }

  /** One sequence. */
  public static TokenBatch single(long... ids) {
    return of(List.of(ids), Padding.RIGHT);
  }

  /**
   * The same batch with token type (segment) ids, for encoders that use them; one array per
   * sequence, as long as the sequence. Without them every token has type 0.
   */
  public TokenBatch withTokenTypes(List<long[]> types) {
    if (types.size() != sequences.length) {
      throw new NeuriteException("Token types are given for " + types.size() + " sequences, the batch has "
          + sequences.length + ".");
    }
    long[][] copy = new long[types.size()][];
    for (int i = 0; i < copy.length; i++) {
      if (types.get(i).length != sequences[i].length) {
        throw new NeuriteException("Sequence " + i + " has " + sequences[i].length + " tokens but "
            + types.get(i).length + " token types.");
      }
      copy[i] = types.get(i).clone();
    }
    return new TokenBatch(sequences, copy, padding);
  }

  /** Number of sequences. */
  public int size() {
    return sequences.length;
  }

  /** The padded length: the longest sequence's. */
  public int length() {
    return length;
  }

  public Padding padding() {
    return padding;
  }

  /** The real tokens of sequence {@code i}. */
  public long[] ids(int i) {
    return sequences[i].clone();
  }

  /** The number of real tokens of sequence {@code i}. */
  public int length(int i) {
    return sequences[i].length;
  }

  /** The padded position of the first real token of sequence {@code i}. */
  public int firstReal(int i) {
    return padding == Padding.LEFT ? length - sequences[i].length : 0;
  }

  /** The padded position of the last real token of sequence {@code i}. */
  public int lastReal(int i) {
    return firstReal(i) + sequences[i].length - 1;
  }

  /** Whether padded position {@code t} of sequence {@code i} holds a real token. */
  public boolean isReal(int i, int t) {
    int first = firstReal(i);
    return t >= first && t < first + sequences[i].length;
  }

  /** Token ids, padded with 0, row-major [size, length]. */
  public long[] paddedIds() {
    return fill(sequences, 0);
  }

  /** Token types, padded with 0, row-major [size, length]; all 0 if none were given. */
  public long[] paddedTokenTypes() {
    return tokenTypes == null ? new long[size() * length] : fill(tokenTypes, 0);
  }

  /** 1 at real positions and 0 at padding, row-major [size, length]. */
  public long[] mask() {
    long[] mask = new long[size() * length];
    for (int i = 0; i < size(); i++) {
      Arrays.fill(mask, i * length + firstReal(i), i * length + firstReal(i) + sequences[i].length, 1L);
    }
    return mask;
  }

  /** Position ids: 0, 1, 2... over the real tokens of each sequence and 0 at padding, row-major [size, length]. */
  public long[] positions() {
    long[] positions = new long[size() * length];
    for (int i = 0; i < size(); i++) {
      int first = firstReal(i);
      for (int t = 0; t < sequences[i].length; t++) {
        positions[i * length + first + t] = t;
      }
    }
    return positions;
  }

  /** The batch split into single sequences, for checks that a batch equals its parts. */
  public List<TokenBatch> singles() {
    List<TokenBatch> out = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      TokenBatch one = single(sequences[i]);
      out.add(tokenTypes == null ? one : one.withTokenTypes(List.of(tokenTypes[i])));
    }
    return out;
  }

  private long[] fill(long[][] rows, long pad) {
    long[] out = new long[size() * length];
    Arrays.fill(out, pad);
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * length + firstReal(i), rows[i].length);
    }
    return out;
  }

  @Override
  public String toString() {
    return "TokenBatch[" + size() + " x " + length + ", padding " + padding.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }
}
