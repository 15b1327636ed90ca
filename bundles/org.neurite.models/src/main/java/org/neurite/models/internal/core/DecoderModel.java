package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.family.DecoderLayer;
import org.neurite.models.family.DecoderParts;
import org.neurite.models.family.DecoderSizes;
import org.neurite.models.family.Linear;
import org.neurite.models.family.ModelOrigin;
import org.neurite.models.family.Rope;

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
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray ids = work.create(batch.paddedIds(), shape);
    DecoderParts.Extras extras = parts.extras();
    NDArray looked = Inputs.embed(ids, parts.tokenEmbedding());
    NDArray embedded = extras.projectIn() == null ? looked : extras.projectIn().apply(looked);
    NDArray x = hooked.at("hook_embed", extras.embeddingScale() == 1.0 ? embedded : scaled(embedded,
        extras.embeddingScale()));
    if (parts.positionEmbedding() != null) {
      NDArray positions = work.create(batch.positions(), shape);
      NDArray pe = hooked.at("hook_pos_embed", Inputs.embed(positions, parts.positionEmbedding()));
      x = x.add(pe);
    }
    Map<Rope, NDArray[]> cosSins = new HashMap<>();
    Function<Rope, NDArray[]> cosSin = rope -> rope == null ? null : cosSins.computeIfAbsent(rope,
        r -> r.cosSin(work, batch.positions(), batch.size(), batch.length(), type()));
    Map<Integer, NDArray> masks = new HashMap<>();
    DecoderLayer[] layers = parts.layers();
    x = blocks(x, layers.length, hooked, work, (l, residual) -> block(layers[l], names[l], residual,
        masks.computeIfAbsent(layers[l].window(), w -> Masks.causal(work, batch, w, type())),
        cosSin.apply(ropeOf(layers[l])), hooked, batch));
    NDArray normalized = hooked.at("ln_final.hook_normalized", parts.finalNorm().apply(x));
    NDArray hidden = extras.projectOut() == null ? normalized : extras.projectOut().apply(normalized);
    Linear head = parts.head();
    double cap = extras.logitSoftcap();
    UnaryOperator<NDArray> logits = head == null ? null : cap == 0 ? head::apply : h -> {
      try (NDArray raw = head.apply(h)) {
        return Attention.softcap(raw, cap);
      }
    };
    return new Outcome(hidden, logits, Map.of());
  }

  /** {@code x * scale} with the scale rounded to the compute type first, as Hugging Face makes it a tensor of that type. */
  private NDArray scaled(NDArray x, double scale) {
    return Scalars.times(x, type() == DataType.FLOAT64 ? scale : (double) (float) scale);
  }

  private Rope ropeOf(DecoderLayer layer) {
    return layer.extras().rope() != null ? layer.extras().rope() : parts.rope();
  }

  private NDArray block(DecoderLayer w, LayerHooks n, NDArray x, NDArray attentionMask, NDArray[] cosSin,
      HookDispatch hooked, TokenBatch batch) {
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
