package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.neurite.api.model.TokenBatch;

/**
 * Additive attention masks: 0 where a query may attend to a key, a large negative number where it
 * may not. A query whose keys are all masked (a padding position) gets a uniform row, never NaN.
 * Built in the given manager.
 */
final class Masks {
  private static final double BLOCKED = -1e9;

  private Masks() {}

  /** Padding only, for encoders: [batch, 1, 1, keys]. */
  static NDArray padding(NDManager m, TokenBatch batch, DataType type) {
    try (NDArray keys = m.create(batch.mask(), new Shape(batch.size(), 1, 1, batch.length()));
        NDArray asType = keys.toType(type, false); NDArray shifted = asType.sub(1.0)) {
      return shifted.mul(-BLOCKED);
    }
  }

  /**
   * Causal, padding and (if {@code window > 0}) sliding-window masking for decoders:
   * [batch, 1, queries, keys]. Key j is visible to query i when j <= i, j is a real token, and
   * i - j < window.
   */
  static NDArray causal(NDManager m, TokenBatch batch, int window, DataType type) {
    int t = batch.length();
    try (NDArray q = m.arange(0, t, 1, DataType.INT64).reshape(t, 1);
        NDArray k = m.arange(0, t, 1, DataType.INT64).reshape(1, t);
        NDArray causal = k.lte(q);
        NDArray earliest = q.sub(window);
        NDArray inWindow = k.gt(earliest);
        NDArray windowed = window > 0 ? causal.logicalAnd(inWindow) : causal.duplicate();
        NDArray square = windowed.reshape(new Shape(1, 1, t, t));
        NDArray keyMask = m.create(batch.mask(), new Shape(batch.size(), 1, 1, t));
        NDArray keys = keyMask.eq(1);
        NDArray allowed = square.logicalAnd(keys);
        NDArray asType = allowed.toType(type, false);
        NDArray shifted = asType.sub(1.0)) {
      return shifted.mul(-BLOCKED);
    }
  }

  /**
   * The mask of a decoding step that continues cached sequences: [batch, 1, length, past + length].
   * Query i is padded position {@code past + i}; key j is visible to it when j <= past + i, j is a
   * real token ({@code keyMask}, [batch, past + length]) and (if {@code window > 0})
   * {@code past + i - j < window}: with no past this is {@link #causal}.
   */
  static NDArray cached(NDManager m, long[] keyMask, int batch, int past, int length, int window, DataType type) {
    int total = past + length;
    try (NDArray q = m.arange(past, total, 1, DataType.INT64).reshape(length, 1);
        NDArray k = m.arange(0, total, 1, DataType.INT64).reshape(1, total);
        NDArray causal = k.lte(q);
        NDArray earliest = q.sub(window);
        NDArray inWindow = k.gt(earliest);
        NDArray windowed = window > 0 ? causal.logicalAnd(inWindow) : causal.duplicate();
        NDArray square = windowed.reshape(new Shape(1, 1, length, total));
        NDArray keysReal = m.create(keyMask, new Shape(batch, 1, 1, total));
        NDArray keys = keysReal.eq(1);
        NDArray allowed = square.logicalAnd(keys);
        NDArray asType = allowed.toType(type, false);
        NDArray shifted = asType.sub(1.0)) {
      return shifted.mul(-BLOCKED);
    }
  }
}
