package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neurite.api.NeuriteException;
import org.neurite.api.generate.Generation;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.Forward;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.family.DecoderLayer;
import org.neurite.models.family.DecoderParts;
import org.neurite.models.family.DecoderSizes;
import org.neurite.models.family.Linear;
import org.neurite.models.family.ModelOrigin;
import org.neurite.models.internal.generate.Generator;

/**
 * A pre-norm causal decoder, written op by op with a hook point at every intermediate value:
 * GPT-2 (learned positions, LayerNorm, fused qkv) and the Llama family (rotary positions,
 * RMSNorm, grouped-query attention, SwiGLU) are both this model with different parts.
 */
public final class DecoderModel extends HookedModel {
  private final DecoderParts parts;
  private final LayerHooks[] names;

  public DecoderModel(ModelOrigin origin, ModelSpec spec, DecoderParts parts) {
    super(origin, spec);
    this.parts = parts;
    this.names = LayerHooks.forLayers(parts.layers().length);
  }

  /** Builds the spec of a decoder from its parts' sizes. */
  public static ModelSpec spec(String family, String architecture, DecoderSizes sizes, ModelOrigin origin,
      DecoderParts parts) {
    int dMlp = sizes.dMlp();
    int heads = sizes.heads();
    int kvHeads = sizes.kvHeads();
    int dHead = sizes.dHead();
    int maxPositions = sizes.maxPositions();
    int dModel = (int) parts.tokenEmbedding().getShape().get(1);
    int vocab = (int) parts.tokenEmbedding().getShape().get(0);
    boolean gated = parts.layers()[0].gate() != null;
    return new ModelSpec(family, architecture, true, parts.layers().length, dModel, dMlp, heads, kvHeads, dHead, vocab,
        maxPositions, gated, parts.head() != null, origin.dtype(), origin.storedDtype(), HookCatalog.decoder(parts.layers().length, dModel, dMlp,
            heads, kvHeads, dHead, parts.positionEmbedding() != null, parts.rope() != null, gated));
  }

  @Override
  protected void check(TokenBatch batch) {
    Inputs.check(batch, name(), spec.vocab(), parts.positionEmbedding() == null ? 0 : spec.maxPositions(), 0);
  }

  @Override
  protected Outcome pass(TokenBatch batch, HookDispatch hooked, NDManager work) {
    return run(batch, batch.positions(), null, hooked, work);
  }

  /**
   * A decoding step: the batch's tokens continue the sequences whose past the cache holds, and are
   * appended to it. With an empty cache this is the plain forward pass over the batch (a prompt);
   * later batches are usually one token per sequence. Hooks see the step's positions only.
   *
   * @throws org.neurite.api.NeuriteException if a token id is out of the vocabulary, the sequences
   *     outgrow the model's positions, or a hook name matches no hook point
   */
  public Forward forward(TokenBatch batch, KvCache cache, Hooks hooks, NDManager scope) {
    if (batch.size() != cache.batch()) {
      throw new IllegalArgumentException("a step of " + batch.size() + " sequences on a cache of " + cache.batch());
    }
    Inputs.check(batch, name(), spec.vocab(), 0, 0);
    long last = cache.lastPosition(batch);
    if (parts.positionEmbedding() != null && last >= spec.maxPositions()) {
      throw new NeuriteException("A sequence reaches position " + last + "; model " + name() + " takes at most "
          + spec.maxPositions() + " positions (max_position_embeddings). Shorten the prompt or generate fewer tokens.");
    }
    return framed(batch, hooks, scope, (hooked, work) -> run(batch, cache.positions(batch), cache, hooked, work));
  }

  @Override
  public Generation generate(List<long[]> prompts, GenerationOptions options, GenerationHooks hooks, NDManager scope) {
    if (parts.head() == null) {
      throw new NeuriteException("Model " + name() + " has no language-model head, so it cannot generate; load a"
          + " checkpoint that includes the head (e.g. LlamaForCausalLM).");
    }
    return new Generator(this).generate(prompts, options, hooks, scope);
  }

  /** The logits [..., vocab] of hidden states after the final norm (the language-model head). */
  public NDArray logits(NDArray hidden) {
    return parts.head().apply(hidden);
  }

  private Outcome run(TokenBatch batch, long[] positionIds, KvCache cache, HookDispatch hooked, NDManager work) {
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray ids = work.create(batch.paddedIds(), shape);
    NDArray x = hooked.at("hook_embed", Inputs.embed(ids, parts.tokenEmbedding()));
    if (parts.positionEmbedding() != null) {
      NDArray positions = work.create(positionIds, shape);
      NDArray pe = hooked.at("hook_pos_embed", Inputs.embed(positions, parts.positionEmbedding()));
      x = x.add(pe);
    }
    NDArray[] cosSin = parts.rope() == null ? null
        : parts.rope().cosSin(work, positionIds, batch.size(), batch.length(), type());
    long[] newMask = batch.mask();
    long[] keyMask = cache == null ? null : cache.keyMask(newMask, batch.length());
    Map<Integer, NDArray> masks = new HashMap<>();
    DecoderLayer[] layers = parts.layers();
    x = blocks(x, layers.length, hooked, work, (l, residual) -> block(layers[l], l, residual,
        masks.computeIfAbsent(layers[l].window(), w -> cache == null ? Masks.causal(work, batch, w, type())
            : Masks.cached(work, keyMask, batch.size(), cache.past(), batch.length(), w, type())),
        cosSin, hooked, batch, cache));
    if (cache != null) {
      cache.advance(newMask, batch.length());
    }
    NDArray hidden = hooked.at("ln_final.hook_normalized", parts.finalNorm().apply(x));
    Linear head = parts.head();
    return new Outcome(hidden, head == null ? null : head::apply, Map.of());
  }

  private NDArray block(DecoderLayer w, int layer, NDArray x, NDArray attentionMask, NDArray[] cosSin,
      HookDispatch hooked, TokenBatch batch, KvCache cache) {
    LayerHooks n = names[layer];
    long b = batch.size();
    long t = batch.length();
    NDArray resid = hooked.at(n.residPre(), x);
    NDArray normed = hooked.at(n.ln1(), w.norm1().apply(resid));
    NDArray[] qkv = w.qkv().apply(normed);
    NDArray q = hooked.at(n.q(), qkv[0].reshape(b, t, spec.heads(), spec.dHead()));
    NDArray k = hooked.at(n.k(), qkv[1].reshape(b, t, spec.kvHeads(), spec.dHead()));
    NDArray v = hooked.at(n.v(), qkv[2].reshape(b, t, spec.kvHeads(), spec.dHead()));
    if (parts.rope() != null) {
      q = hooked.at(n.rotQ(), parts.rope().apply(q, cosSin[0], cosSin[1]));
      k = hooked.at(n.rotK(), parts.rope().apply(k, cosSin[0], cosSin[1]));
    }
    if (cache != null) {
      NDArray[] past = cache.extend(layer, k, v);
      k = past[0];
      v = past[1];
    }
    NDArray z = Attention.attend(q, k, v, attentionMask, w.attentionScale(), hooked, n.pattern(), n.z());
    NDArray attnOut = hooked.at(n.attnOut(), w.out().apply(z));
    NDArray mid = hooked.at(n.residMid(), resid.add(attnOut));
    NDArray normed2 = hooked.at(n.ln2(), w.norm2().apply(mid));
    NDArray post;
    if (w.gate() != null) {
      NDArray gate = hooked.at(n.mlpPre(), w.gate().apply(normed2));
      NDArray up = hooked.at(n.mlpPreLinear(), w.up().apply(normed2));
      post = parts.activation().apply(gate).mul(up);
    } else {
      NDArray pre = hooked.at(n.mlpPre(), w.up().apply(normed2));
      post = parts.activation().apply(pre);
    }
    post = hooked.at(n.mlpPost(), post);
    NDArray mlpOut = hooked.at(n.mlpOut(), w.down().apply(post));
    return hooked.at(n.residPost(), mid.add(mlpOut));
  }
}
