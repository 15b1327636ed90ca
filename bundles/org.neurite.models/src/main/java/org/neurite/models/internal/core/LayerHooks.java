package org.neurite.models.internal.core;

/** The hook point names of one block, built once per model so a forward pass concatenates nothing. */
record LayerHooks(
    String residPre, String ln1, String q, String k, String v, String qNormed, String kNormed, String rotQ, String rotK,
    String pattern, String z, String attnOut, String residMid, String ln2, String mlpPre, String mlpPreLinear, String mlpPost, String mlpOut,
    String residPost) {

  static LayerHooks of(int layer) {
    String b = "blocks." + layer + ".";
    return new LayerHooks(b + "hook_resid_pre", b + "ln1.hook_normalized", b + "attn.hook_q", b + "attn.hook_k",
        b + "attn.hook_v", b + "attn.q_norm.hook_normalized", b + "attn.k_norm.hook_normalized",
        b + "attn.hook_rot_q", b + "attn.hook_rot_k", b + "attn.hook_pattern", b + "attn.hook_z",
        b + "hook_attn_out", b + "hook_resid_mid", b + "ln2.hook_normalized", b + "mlp.hook_pre",
        b + "mlp.hook_pre_linear", b + "mlp.hook_post", b + "hook_mlp_out", b + "hook_resid_post");
  }

  static LayerHooks[] forLayers(int layers) {
    LayerHooks[] all = new LayerHooks[layers];
    for (int i = 0; i < layers; i++) {
      all[i] = of(i);
    }
    return all;
  }
}
