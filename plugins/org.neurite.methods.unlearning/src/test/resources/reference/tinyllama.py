"""Tiny Llama-architecture decoder written from scratch (PyTorch eager), HF weight names.

Also: a hand-written safetensors reader/writer (F32 only) and a WordLevel/WhitespaceSplit
tokenizer that mirrors tokenizer.json (adds <bos> in front, no <eos>).
"""
import json
import math
import struct

import torch


def rms_norm(x, w, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return x * torch.rsqrt(var + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope_cos_sin(seq, head_dim, theta, dtype):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    pos = torch.arange(seq, dtype=torch.float64)
    freqs = torch.outer(pos, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


class TinyLlama:
    """Functional model over a dict of HF-named weights. hooks: dict layer -> fn(gate)->gate
    applied to the gate_proj output (pre-activation), like a forward hook on mlp.gate_proj."""

    def __init__(self, cfg, weights):
        self.cfg = cfg
        self.w = weights

    def forward(self, ids, gate_hooks=None, capture=None):
        """ids: LongTensor (seq,). Returns logits (seq, vocab). capture (dict) receives
        'gate.L' (seq, ff) after any hook and 'down_in.L' (seq, ff) = act(gate)*up."""
        c, w = self.cfg, self.w
        H, nh, hd = c["hidden_size"], c["num_attention_heads"], c["head_dim"]
        eps = c["rms_norm_eps"]
        seq = ids.shape[0]
        x = w["model.embed_tokens.weight"][ids]
        dtype = x.dtype
        cos, sin = rope_cos_sin(seq, hd, c["rope_theta"], dtype)
        mask = torch.full((seq, seq), float("-inf"), dtype=dtype).triu(1)
        for L in range(c["num_hidden_layers"]):
            p = f"model.layers.{L}."
            h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
            q = (h @ w[p + "self_attn.q_proj.weight"].T).view(seq, nh, hd).transpose(0, 1)
            k = (h @ w[p + "self_attn.k_proj.weight"].T).view(seq, nh, hd).transpose(0, 1)
            v = (h @ w[p + "self_attn.v_proj.weight"].T).view(seq, nh, hd).transpose(0, 1)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + mask
            att = torch.softmax(att, dim=-1)
            o = (att @ v).transpose(0, 1).reshape(seq, nh * hd)
            x = x + o @ w[p + "self_attn.o_proj.weight"].T
            h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
            gate = h @ w[p + "mlp.gate_proj.weight"].T
            if gate_hooks is not None and L in gate_hooks:
                gate = gate_hooks[L](gate)
            up = h @ w[p + "mlp.up_proj.weight"].T
            down_in = torch.nn.functional.silu(gate) * up
            if capture is not None:
                capture[f"gate.{L}"] = gate.detach().clone()
                capture[f"down_in.{L}"] = down_in.detach().clone()
            x = x + down_in @ w[p + "mlp.down_proj.weight"].T
        x = rms_norm(x, w["model.norm.weight"], eps)
        return x @ w["lm_head.weight"].T


def init_weights(cfg, seed=0):
    g = torch.Generator().manual_seed(seed)
    H, F, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    nh, hd = cfg["num_attention_heads"], cfg["head_dim"]

    def rn(*shape):
        return (torch.randn(*shape, generator=g) * 0.2).float()

    w = {"model.embed_tokens.weight": rn(V, H)}
    for L in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{L}."
        w[p + "self_attn.q_proj.weight"] = rn(nh * hd, H)
        w[p + "self_attn.k_proj.weight"] = rn(nh * hd, H)
        w[p + "self_attn.v_proj.weight"] = rn(nh * hd, H)
        w[p + "self_attn.o_proj.weight"] = rn(H, nh * hd)
        w[p + "mlp.gate_proj.weight"] = rn(F, H)
        w[p + "mlp.up_proj.weight"] = rn(F, H)
        w[p + "mlp.down_proj.weight"] = rn(H, F)
        w[p + "input_layernorm.weight"] = torch.ones(H)
        w[p + "post_attention_layernorm.weight"] = torch.ones(H)
    w["model.norm.weight"] = torch.ones(H)
    w["lm_head.weight"] = rn(V, H)
    return w


def save_safetensors(path, tensors):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous()
        b = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32"
        s, e = meta["data_offsets"]
        arr = np.frombuffer(data[s:e], dtype="<f4").reshape(meta["shape"]).copy()
        out[name] = torch.from_numpy(arr)
    return out


class WordTokenizer:
    def __init__(self, tokenizer_json_path):
        with open(tokenizer_json_path) as f:
            tj = json.load(f)
        self.vocab = tj["model"]["vocab"]
        self.unk = self.vocab[tj["model"]["unk_token"]]
        self.bos = self.vocab["<bos>"]

    def encode(self, text):
        return [self.bos] + [self.vocab.get(t, self.unk) for t in text.split()]
