package org.neurite.models.internal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.api.model.ModelSpec;
import org.neurite.api.model.TokenBatch;
import org.neurite.models.family.EncoderLayer;
import org.neurite.models.family.EncoderParts;
import org.neurite.models.family.ModelOrigin;

/**
 * A post-norm bidirectional encoder (BERT, MiniLM, BGE): word, position and token-type
 * embeddings, then blocks of attention and MLP each followed by a residual LayerNorm.
 */
public final class EncoderModel extends HookedModel {
  private final EncoderParts parts;
  private final LayerHooks[] names;

  public EncoderModel(ModelOrigin origin, ModelSpec spec, EncoderParts parts) {
    super(origin, spec);
    this.parts = parts;
    this.names = LayerHooks.forLayers(parts.layers().length);
  }

  /** Builds the spec of an encoder from its parts' sizes. */
  public static ModelSpec spec(String family, String architecture, int heads, ModelOrigin origin, EncoderParts parts) {
    int dModel = (int) parts.words().getShape().get(1);
    int dMlp = (int) parts.layers()[0].intermediate().out();
    int layers = parts.layers().length;
    return new ModelSpec(family, architecture, false, layers, dModel, dMlp, heads, heads, dModel / heads,
        (int) parts.words().getShape().get(0), (int) parts.positions().getShape().get(0), false,
        parts.lmHead() != null, origin.dtype(), origin.storedDtype(), HookCatalog.encoder(layers, dModel, dMlp, heads, dModel / heads));
  }

  @Override
  protected void check(TokenBatch batch) {
    Inputs.check(batch, name(), spec.vocab(), spec.maxPositions(), (int) parts.tokenTypes().getShape().get(0));
  }

  @Override
  protected Outcome pass(TokenBatch batch, HookDispatch hooked, NDManager work) {
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray words = hooked.at("hook_embed", Inputs.embed(work.create(batch.paddedIds(), shape), parts.words()));
    NDArray types = hooked.at("hook_token_type_embed",
        Inputs.embed(work.create(batch.paddedTokenTypes(), shape), parts.tokenTypes()));
    NDArray positions = hooked.at("hook_pos_embed",
        Inputs.embed(work.create(batch.positions(), shape), parts.positions()));
    NDArray x = hooked.at("embed.ln.hook_normalized", parts.embeddingNorm().apply(words.add(types).add(positions)));
    NDArray attentionMask = Masks.padding(work, batch, type());
    double scale = 1.0 / Math.sqrt(spec.dHead());
    EncoderLayer[] layers = parts.layers();
    NDArray hidden = blocks(x, layers.length, hooked, work,
        (l, residual) -> block(layers[l], names[l], residual, attentionMask, scale, hooked, batch));
    Map<String, NDArray> outputs = new LinkedHashMap<>();
    if (parts.pooler() != null) {
      try (NDArray first = hidden.get(new NDIndex(":, 0, :")); NDArray dense = parts.pooler().apply(first)) {
        outputs.put("pooler_output", dense.tanh());
      }
    }
    return new Outcome(hidden, parts.lmHead(), outputs);
  }

  private NDArray block(EncoderLayer w, LayerHooks n, NDArray x, NDArray attentionMask, double scale, HookDispatch hooked,
      TokenBatch batch) {
    long b = batch.size();
    long t = batch.length();
    NDArray resid = hooked.at(n.residPre(), x);
    NDArray[] qkv = w.qkv().apply(resid);
    NDArray q = hooked.at(n.q(), qkv[0].reshape(b, t, spec.heads(), spec.dHead()));
    NDArray k = hooked.at(n.k(), qkv[1].reshape(b, t, spec.heads(), spec.dHead()));
    NDArray v = hooked.at(n.v(), qkv[2].reshape(b, t, spec.heads(), spec.dHead()));
    NDArray z = Attention.attend(q, k, v, attentionMask, scale, 0, hooked, n.pattern(), n.z());
    NDArray attnOut = hooked.at(n.attnOut(), w.attentionOut().apply(z));
    NDArray mid = hooked.at(n.residMid(), w.attentionNorm().apply(attnOut.add(resid)));
    NDArray pre = hooked.at(n.mlpPre(), w.intermediate().apply(mid));
    NDArray post = hooked.at(n.mlpPost(), parts.activation().apply(pre));
    NDArray mlpOut = hooked.at(n.mlpOut(), w.output().apply(post));
    return hooked.at(n.residPost(), w.outputNorm().apply(mlpOut.add(mid)));
  }
}
