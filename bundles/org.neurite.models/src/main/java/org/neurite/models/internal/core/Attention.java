package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention over TransformerLens-layout heads, with the pattern and z hook
 * points. Grouped-query attention repeats each key/value head for its group of query heads, as
 * Hugging Face's {@code repeat_kv} does.
 */
final class Attention {
  private Attention() {}

  /**
   * @param q [batch, pos, heads, d_head]
   * @param k [batch, pos, kv_heads, d_head]
   * @param v [batch, pos, kv_heads, d_head]
   * @param mask additive, broadcastable to [batch, heads, pos, pos]
   * @param softcap caps the scaled scores at {@code tanh(s / softcap) * softcap} before the mask, or 0 for none
   * @return z flattened: [batch, pos, heads * d_head]
   */
  static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, double scale, double softcap,
      HookDispatch hooks, String patternHook, String zHook) {
    long b = q.getShape().get(0);
    long t = q.getShape().get(1);
    long heads = q.getShape().get(2);
    long kvHeads = k.getShape().get(2);
    NDArray qh = q.transpose(0, 2, 1, 3);
    NDArray kh = k.transpose(0, 2, 3, 1);
    NDArray vh = v.transpose(0, 2, 1, 3);
    if (kvHeads != heads) {
      long group = heads / kvHeads;
      kh = kh.repeat(1, group);
      vh = vh.repeat(1, group);
    }
    NDArray scores = qh.matMul(kh);
    NDArray scaled = Scalars.times(scores, scale);
    NDArray masked = (softcap > 0 ? softcap(scaled, softcap) : scaled).add(mask);
    NDArray pattern = hooks.at(patternHook, masked.softmax(-1));
    NDArray zh = pattern.matMul(vh);
    NDArray z = hooks.at(zHook, zh.transpose(0, 2, 1, 3));
    return z.reshape(b, t, heads * q.getShape().get(3));
  }

  /** {@code tanh(x / cap) * cap}, as Gemma 2 caps attention logits and logits. */
  static NDArray softcap(NDArray x, double cap) {
    try (NDArray divided = Scalars.dividedBy(x, cap); NDArray bounded = divided.tanh()) {
      return Scalars.times(bounded, cap);
    }
  }
}
