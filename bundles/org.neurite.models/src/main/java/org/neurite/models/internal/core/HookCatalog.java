package org.neurite.models.internal.core;

import java.util.ArrayList;
import java.util.List;
import org.neurite.api.model.HookPoint;
import org.neurite.models.family.DecoderLayer;

/** The hook points of a model, in forward order, with their shapes. */
final class HookCatalog {
  private HookCatalog() {}

  /** Pre-norm decoders (GPT-2, Llama family, ...), whose blocks all have the {@code extras} of the first. */
  static List<HookPoint> decoder(int layers, int dModel, int dMlp, int heads, int kvHeads, int dHead,
      boolean learnedPositions, boolean rotary, boolean gated, DecoderLayer.Extras extras) {
    List<HookPoint> points = new ArrayList<>();
    String resid = "[batch, pos, d_model=" + dModel + "]";
    points.add(new HookPoint("hook_embed", resid));
    if (learnedPositions) {
      points.add(new HookPoint("hook_pos_embed", resid));
    }
    for (int l = 0; l < layers; l++) {
      LayerHooks n = LayerHooks.of(l);
      points.add(new HookPoint(n.residPre(), resid));
      if (!extras.postNorm()) {
        points.add(new HookPoint(n.ln1(), resid));
      }
      attention(points, n, heads, kvHeads, dHead, rotary, extras.qNorm() != null);
      points.add(new HookPoint(n.attnOut(), resid));
      if (!extras.parallel()) {
        points.add(new HookPoint(n.residMid(), resid));
      }
      if (!extras.postNorm()) {
        points.add(new HookPoint(n.ln2(), resid));
      }
      mlp(points, n, dMlp, gated);
      points.add(new HookPoint(n.mlpOut(), resid));
      points.add(new HookPoint(n.residPost(), resid));
    }
    points.add(new HookPoint("ln_final.hook_normalized", resid));
    return points;
  }

  /** Post-norm encoders (BERT): {@code hook_resid_mid} and {@code hook_resid_post} are after their LayerNorm. */
  static List<HookPoint> encoder(int layers, int dModel, int dMlp, int heads, int dHead) {
    List<HookPoint> points = new ArrayList<>();
    String resid = "[batch, pos, d_model=" + dModel + "]";
    points.add(new HookPoint("hook_embed", resid));
    points.add(new HookPoint("hook_pos_embed", resid));
    points.add(new HookPoint("hook_token_type_embed", resid));
    points.add(new HookPoint("embed.ln.hook_normalized", resid));
    for (int l = 0; l < layers; l++) {
      LayerHooks n = LayerHooks.of(l);
      points.add(new HookPoint(n.residPre(), resid));
      attention(points, n, heads, heads, dHead, false, false);
      points.add(new HookPoint(n.attnOut(), resid));
      points.add(new HookPoint(n.residMid(), resid));
      mlp(points, n, dMlp, false);
      points.add(new HookPoint(n.mlpOut(), resid));
      points.add(new HookPoint(n.residPost(), resid));
    }
    return points;
  }

  private static void attention(List<HookPoint> points, LayerHooks n, int heads, int kvHeads, int dHead, boolean rotary,
      boolean qkNorms) {
    points.add(new HookPoint(n.q(), "[batch, pos, heads=" + heads + ", d_head=" + dHead + "]"));
    points.add(new HookPoint(n.k(), "[batch, pos, kv_heads=" + kvHeads + ", d_head=" + dHead + "]"));
    points.add(new HookPoint(n.v(), "[batch, pos, kv_heads=" + kvHeads + ", d_head=" + dHead + "]"));
    if (qkNorms) {
      points.add(new HookPoint(n.qNormed(), "[batch, pos, heads=" + heads + ", d_head=" + dHead + "]"));
      points.add(new HookPoint(n.kNormed(), "[batch, pos, kv_heads=" + kvHeads + ", d_head=" + dHead + "]"));
    }
    if (rotary) {
      points.add(new HookPoint(n.rotQ(), "[batch, pos, heads=" + heads + ", d_head=" + dHead + "]"));
      points.add(new HookPoint(n.rotK(), "[batch, pos, kv_heads=" + kvHeads + ", d_head=" + dHead + "]"));
    }
    points.add(new HookPoint(n.pattern(), "[batch, heads=" + heads + ", query_pos, key_pos]"));
    points.add(new HookPoint(n.z(), "[batch, pos, heads=" + heads + ", d_head=" + dHead + "]"));
  }

  private static void mlp(List<HookPoint> points, LayerHooks n, int dMlp, boolean gated) {
    String width = "[batch, pos, d_mlp=" + dMlp + "]";
    points.add(new HookPoint(n.mlpPre(), width));
    if (gated) {
      points.add(new HookPoint(n.mlpPreLinear(), width));
    }
    points.add(new HookPoint(n.mlpPost(), width));
  }
}
