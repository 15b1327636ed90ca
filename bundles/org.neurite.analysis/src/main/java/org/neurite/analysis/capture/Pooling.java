package org.neurite.analysis.capture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.neurite.api.NeuriteException;

/**
 * How the values of a hook point [batch, pos, units] become rows [n, units] for statistics and
 * scores, over the positions a mask chooses.
 */
public enum Pooling {
  /** One row per chosen token: per-token statistics (LAPE, massive activations). */
  TOKENS,
  /** One row per sequence: the mean over its chosen tokens (NAG, relation neurons, MONA). */
  MEAN,
  /** One row per sequence: the maximum over its chosen tokens (CULNIG). */
  MAX,
  /**
   * One row per sequence: the maximum over every position, padding included, as NeuroStrike's code
   * does (padding positions hold whatever the model computed there).
   */
  MAX_WITH_PADDING,
  /** One row per sequence: the value at its last chosen token. */
  LAST;

  /** By name ({@code tokens}, {@code mean}, {@code max}, {@code max_with_padding}, {@code last}). */
  public static Pooling parse(String name, String where) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new NeuriteException(where + ": pooling '" + name + "' is not one of tokens, mean, max, max_with_padding,"
          + " last.");
    }
  }

  /** Whether the rows are tokens (else one row per sequence). */
  public boolean perToken() {
    return this == TOKENS;
  }

  /**
   * Pools a hook point's values.
   *
   * @param values [batch, pos, units], or [batch, pos, d1, d2]: the trailing dimensions are flattened
   *     row-major, so {@code attn.hook_q} [batch, pos, heads, d_head] has unit {@code h·d_head + d}
   *     (one output channel of q_proj, as CULNIG counts them)
   * @param mask [batch * pos] row-major, 1 at chosen positions (see {@link Positions#mask})
   * @param scope where the result is made
   * @return rows [n, units]: chosen tokens in batch order, or one per sequence. A sequence with no
   *     chosen token gives a row of zeros (mean, max, last); callers drop such sequences.
   */
  public NDArray pool(NDArray values, float[] mask, NDManager scope) {
    Shape shape = values.getShape();
    long batch = shape.get(0);
    long positions = shape.get(1);
    long units = shape.dimension() == 3 ? shape.get(2) : shape.size() / Math.max(1, batch * positions);
    if (shape.dimension() > 3) {
      values = values.reshape(batch, positions, units);
    }
    if (mask.length != batch * positions) {
      throw new IllegalArgumentException("mask of " + mask.length + " for " + shape);
    }
    try (NDManager work = scope.newSubManager()) {
      NDArray m = work.create(mask, new Shape(batch, positions, 1)).toType(values.getDataType(), false);
      NDArray out = switch (this) {
        case TOKENS -> {
          long[] index = chosen(mask);
          NDArray flat = values.reshape(batch * positions, units);
          yield index.length == 0 ? work.zeros(new Shape(0, units), values.getDataType())
              : flat.get(work.create(index));
        }
        case MEAN -> {
          NDArray count = m.sum(new int[] {1}).maximum(1f);
          yield values.mul(m).sum(new int[] {1}).div(count);
        }
        case MAX -> {
          NDArray lowest = m.sub(1).mul(Float.MAX_VALUE);
          NDArray max = values.add(lowest).max(new int[] {1});
          NDArray any = m.sum(new int[] {1}).gt(0).toType(values.getDataType(), false);
          yield max.mul(any);
        }
        case MAX_WITH_PADDING -> values.max(new int[] {1});
        case LAST -> values.mul(work.create(lastOnly(mask, batch, positions), new Shape(batch, positions, 1))
            .toType(values.getDataType(), false)).sum(new int[] {1});
      };
      out.attach(scope);
      return out;
    }
  }

  private static long[] chosen(float[] mask) {
    int n = 0;
    for (float v : mask) {
      n += v != 0 ? 1 : 0;
    }
    long[] index = new long[n];
    int k = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] != 0) {
        index[k++] = i;
      }
    }
    return index;
  }

  private static float[] lastOnly(float[] mask, long batch, long positions) {
    float[] last = new float[mask.length];
    for (int i = 0; i < batch; i++) {
      for (int t = (int) positions - 1; t >= 0; t--) {
        if (mask[(int) (i * positions + t)] != 0) {
          last[(int) (i * positions + t)] = 1f;
          break;
        }
      }
    }
    return last;
  }
}
