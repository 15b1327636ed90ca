package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
import org.neurite.models.family.ModelOrigin;
import org.neurite.models.family.Rope;
import org.neurite.models.internal.generate.Generator;

/**
 * A causal decoder, written op by op with a hook point at every intermediate value:
 * GPT-2 (learned positions, LayerNorm, fused qkv) and the Llama family (rotary positions,
 * RMSNorm, grouped-query attention, SwiGLU) are both this model with different parts; what the
 * later families add (q/k norms, sandwich norms, softcaps, parallel or post-norm blocks, a rope per
 * layer, embedding scale and projections) are the parts' {@code extras}.
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
    int dModel = (int) parts.layers()[0].out().out();
    int vocab = (int) parts.tokenEmbedding().getShape().get(0);
    boolean gated = parts.layers()[0].gate() != null;
    return new ModelSpec(family, architecture, true, parts.layers().length, dModel, dMlp, heads, kvHeads, dHead, vocab,
        maxPositions, gated, parts.head() != null, origin.dtype(), origin.storedDtype(), HookCatalog.decoder(parts.layers().length, dModel, dMlp,
            heads, kvHeads, dHead, parts.positionEmbedding() != null, rotary(parts), gated,
            parts.layers()[0].extras()));
  }

  private static boolean rotary(DecoderParts parts) {
    return parts.rope() != null || java.util.Arrays.stream(parts.layers()).anyMatch(l -> l.extras().rope() != null);
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

  /**
   * The logits [..., vocab] of hidden states as the forward pass gives them (after the final norm and
   * any output projection): the language-model head, then the family's final soft-cap if it has one.
   */
  public NDArray logits(NDArray hidden) {
    double cap = parts.extras().logitSoftcap();
    if (cap == 0) {
      return parts.head().apply(hidden);
    }
    try (NDArray raw = parts.head().apply(hidden)) {
      return Attention.softcap(raw, cap);
    }
  }

  private Outcome run(TokenBatch batch, long[] positionIds, KvCache cache, HookDispatch hooked, NDManager work) {
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray ids = work.create(batch.paddedIds(), shape);
    DecoderParts.Extras extras = parts.extras();
    NDArray looked = Inputs.embed(ids, parts.tokenEmbedding());
    NDArray embedded = extras.projectIn() == null ? looked : extras.projectIn().apply(looked);
    NDArray x = hooked.at("hook_embed", extras.embeddingScale() == 1.0 ? embedded : scaled(embedded,
        extras.embeddingScale()));
    if (parts.positionEmbedding() != null) {
      NDArray positions = work.create(positionIds, shape);
      NDArray pe = hooked.at("hook_pos_embed", Inputs.embed(positions, parts.positionEmbedding()));
      x = x.add(pe);
    }
    Map<Rope, NDArray[]> cosSins = new HashMap<>();
    Function<Rope, NDArray[]> cosSin = rope -> rope == null ? null : cosSins.computeIfAbsent(rope,
        r -> r.cosSin(work, positionIds, batch.size(), batch.length(), type()));
    long[] newMask = batch.mask();
    long[] keyMask = cache == null ? null : cache.keyMask(newMask, batch.length());
    Map<Integer, NDArray> masks = new HashMap<>();
    DecoderLayer[] layers = parts.layers();
    x = blocks(x, layers.length, hooked, work, (l, residual) -> block(layers[l], l, residual,
        masks.computeIfAbsent(layers[l].window(), w -> cache == null ? Masks.causal(work, batch, w, type())
            : Masks.cached(work, keyMask, batch.size(), cache.past(), batch.length(), w, type())),
        cosSin.apply(ropeOf(layers[l])), hooked, batch, cache));
    if (cache != null) {
      cache.advance(newMask, batch.length());
    }
    NDArray normalized = hooked.at("ln_final.hook_normalized", parts.finalNorm().apply(x));
    NDArray hidden = extras.projectOut() == null ? normalized : extras.projectOut().apply(normalized);
    return new Outcome(hidden, parts.head() == null ? null : this::logits, Map.of());
  }

  /** {@code x * scale} with the scale rounded to the compute type first, as Hugging Face makes it a tensor of that type. */
  private NDArray scaled(NDArray x, double scale) {
    return Scalars.times(x, type() == DataType.FLOAT64 ? scale : (double) (float) scale);
  }

  private Rope ropeOf(DecoderLayer layer) {
    return layer.extras().rope() != null ? layer.extras().rope() : parts.rope();
  }

  private NDArray block(DecoderLayer w, int layer, NDArray x, NDArray attentionMask, NDArray[] cosSin,
      HookDispatch hooked, TokenBatch batch, KvCache cache) {
    LayerHooks n = names[layer];
    long b = batch.size();
    long t = batch.length();
    DecoderLayer.Extras extras = w.extras();
    NDArray resid = hooked.at(n.residPre(), x);
    NDArray normed = extras.postNorm() ? resid : hooked.at(n.ln1(), w.norm1().apply(resid));
    NDArray[] qkv = w.qkv().apply(normed);
    NDArray q = hooked.at(n.q(), qkv[0].reshape(b, t, spec.heads(), spec.dHead()));
    NDArray k = hooked.at(n.k(), qkv[1].reshape(b, t, spec.kvHeads(), spec.dHead()));
    NDArray v = hooked.at(n.v(), qkv[2].reshape(b, t, spec.kvHeads(), spec.dHead()));
    if (extras.qNorm() != null) {
      q = hooked.at(n.qNormed(), extras.qNorm().apply(q));
      k = hooked.at(n.kNormed(), extras.kNorm().apply(k));
    }
    Rope rope = ropeOf(w);
    if (rope != null) {
      q = hooked.at(n.rotQ(), rope.apply(q, cosSin[0], cosSin[1]));
      k = hooked.at(n.rotK(), rope.apply(k, cosSin[0], cosSin[1]));
    }
    if (cache != null) {
      NDArray[] past = cache.extend(layer, k, v);
      k = past[0];
      v = past[1];
    }
    NDArray z = Attention.attend(q, k, v, attentionMask, w.attentionScale(), extras.attnSoftcap(), hooked, n.pattern(),
        n.z());
    NDArray projected = w.out().apply(z);
    NDArray attnOut = hooked.at(n.attnOut(), extras.attnOutNorm() == null ? projected
        : extras.attnOutNorm().apply(projected));
    NDArray mid = extras.parallel() ? null : hooked.at(n.residMid(), extras.postNorm()
        ? w.norm1().apply(resid.add(attnOut)) : resid.add(attnOut));
    NDArray normed2 = extras.postNorm() ? mid : hooked.at(n.ln2(), w.norm2().apply(extras.parallel() ? resid : mid));
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
    NDArray down = w.down().apply(post);
    NDArray mlpOut = hooked.at(n.mlpOut(), extras.mlpOutNorm() == null ? down : extras.mlpOutNorm().apply(down));
    if (extras.postNorm()) {
      return hooked.at(n.residPost(), w.norm2().apply(mid.add(mlpOut)));
    }
    // GPT-NeoX adds mlp_out + attn_out + residual in that order
    return hooked.at(n.residPost(), extras.parallel() ? mlpOut.add(attnOut).add(resid) : mid.add(mlpOut));
  }
}
