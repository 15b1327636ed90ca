package org.neurite.analysis.intervene;

import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelSpec;

/**
 * How many units a hook point has: the width of its last dimension, or for the query, key and value
 * projections [batch, pos, heads, d_head] the heads times d_head output channels of q/k/v_proj
 * (unit {@code h·d_head + d}, before rotary: CULNIG's attention neurons).
 */
public final class HookWidths {
  private HookWidths() {}

  /**
   * @throws NeuriteException if the model has no such hook point, or its units are not one
   *     dimension of known width (attention heads are addressed per head elsewhere)
   */
  public static int of(ModelSpec spec, String hook) {
    if (spec.hookPoint(hook).isEmpty()) {
      throw new NeuriteException("The model has no hook point '" + hook + "'; `models --hooks MODEL` lists them.");
    }
    if (hook.endsWith("mlp.hook_post") || hook.endsWith("mlp.hook_pre") || hook.endsWith("mlp.hook_pre_linear")) {
      return spec.dMlp();
    }
    if (hook.endsWith("hook_resid_pre") || hook.endsWith("hook_resid_mid") || hook.endsWith("hook_resid_post")
        || hook.endsWith("hook_attn_out") || hook.endsWith("hook_mlp_out") || hook.equals("ln_final.hook_normalized")
        || hook.equals("hook_embed") || hook.equals("hook_pos_embed")) {
      return spec.dModel();
    }
    if (hook.endsWith("attn.hook_q")) {
      return spec.heads() * spec.dHead();
    }
    if (hook.endsWith("attn.hook_k") || hook.endsWith("attn.hook_v")) {
      return spec.kvHeads() * spec.dHead();
    }
    throw new NeuriteException("Hook point '" + hook + "' has no single unit dimension Neurite addresses yet; use an"
        + " MLP (mlp.hook_pre, mlp.hook_pre_linear, mlp.hook_post), attention (attn.hook_q, attn.hook_k, attn.hook_v:"
        + " unit head x d_head + d) or residual-stream hook point.");
  }
}
