package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.neurite.api.model.TokenBatch;

/**
 * The keys and values of one generation's past positions, per layer ([batch, past, kv_heads,
 * d_head], keys after the rotary embedding), with which of those positions are real tokens and how
 * many real tokens each sequence has so far (the position id of its next token). Its arrays live in
 * the scope it is opened in, the generation's: closing that scope frees the cache.
 */
public final class KvCache {
  private final NDManager scope;
  private final int batch;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final long[] realTokens;
  private long[] keyMask = new long[0];
  private int past;

  private KvCache(NDManager scope, int layers, int batch) {
    this.scope = scope;
    this.batch = batch;
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.realTokens = new long[batch];
  }

  /** An empty cache for {@code batch} sequences of a model with {@code layers} blocks, living in {@code scope}. */
  public static KvCache open(NDManager scope, int layers, int batch) {
    return new KvCache(scope, layers, batch);
  }

  /** The number of cached positions (padding included). */
  public int past() {
    return past;
  }

  public int batch() {
    return batch;
  }

  /**
   * Position ids that continue each sequence: its real tokens so far plus the real tokens before
   * each position of the batch, 0 at padding (as {@link TokenBatch#positions()} counts them),
   * row-major [batch, length].
   */
  long[] positions(TokenBatch tokens) {
    int length = tokens.length();
    long[] mask = tokens.mask();
    long[] positions = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      long next = realTokens[b];
      for (int t = 0; t < length; t++) {
        if (mask[b * length + t] == 1) {
          positions[b * length + t] = next++;
        }
      }
    }
    return positions;
  }

  /** The largest position id {@link #positions} gives, or -1 for none. */
  long lastPosition(TokenBatch tokens) {
    long last = -1;
    for (long p : positions(tokens)) {
      last = Math.max(last, p);
    }
    return last;
  }

  /** 1 at real keys, 0 at padding, for the past and {@code newMask} ([batch, length]) together: [batch, past + length]. */
  long[] keyMask(long[] newMask, int length) {
    long[] all = new long[batch * (past + length)];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(keyMask, b * past, all, b * (past + length), past);
      System.arraycopy(newMask, b * length, all, b * (past + length) + past, length);
    }
    return all;
  }

  /**
   * Appends one layer's new keys and values ([batch, length, kv_heads, d_head]) and returns the
   * keys and values of every position so far, which the cache owns.
   */
  NDArray[] extend(int layer, NDArray k, NDArray v) {
    NDArray fullK = keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 1);
    NDArray fullV = values[layer] == null ? v.duplicate() : values[layer].concat(v, 1);
    fullK.attach(scope);
    fullV.attach(scope);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = fullK;
    values[layer] = fullV;
    return new NDArray[] {fullK, fullV};
  }

  /** Records that a pass of {@code length} positions with this mask ran through every layer. */
  void advance(long[] newMask, int length) {
    keyMask = keyMask(newMask, length);
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        realTokens[b] += newMask[b * length + t];
      }
    }
    past += length;
  }

  @Override
  public String toString() {
    return "KvCache[" + batch + " x " + past + ", real " + Arrays.toString(realTokens) + "]";
  }
}
