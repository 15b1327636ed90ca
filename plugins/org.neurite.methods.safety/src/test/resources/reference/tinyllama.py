"""Tiny Llama-architecture causal LM in eager PyTorch with Hugging Face weight names."""
import json, struct, math
import torch
import torch.nn as nn
import torch.nn.functional as F

class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__(); self.weight = nn.Parameter(torch.ones(d)); self.eps = eps
    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

def rope(x, pos, theta):
    d = x.shape[-1]
    inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    f = pos.to(torch.float64)[:, None] * inv[None, :]
    emb = torch.cat((f, f), dim=-1)
    cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
    return x * cos + rotate_half(x) * sin

class Attn(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kv, self.hd, self.theta = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"], c["rope_theta"]
        H = c["hidden_size"]
        self.q_proj = nn.Linear(H, self.h * self.hd, bias=False)
        self.k_proj = nn.Linear(H, self.kv * self.hd, bias=False)
        self.v_proj = nn.Linear(H, self.kv * self.hd, bias=False)
        self.o_proj = nn.Linear(self.h * self.hd, H, bias=False)
    def forward(self, x, mask):
        B, L, _ = x.shape
        q = self.q_proj(x).view(B, L, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, L, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, L, self.kv, self.hd).transpose(1, 2)
        pos = torch.arange(L)
        q, k = rope(q, pos, self.theta), rope(k, pos, self.theta)
        rep = self.h // self.kv
        k = k.repeat_interleave(rep, dim=1); v = v.repeat_interleave(rep, dim=1)
        s = q @ k.transpose(-1, -2) / math.sqrt(self.hd)
        s = s.masked_fill(~mask[:, None, :, :], float("-inf"))
        o = torch.softmax(s, dim=-1) @ v
        return self.o_proj(o.transpose(1, 2).reshape(B, L, self.h * self.hd))

class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        H, I = c["hidden_size"], c["intermediate_size"]
        self.gate_proj = nn.Linear(H, I, bias=False)
        self.up_proj = nn.Linear(H, I, bias=False)
        self.down_proj = nn.Linear(I, H, bias=False)
    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))

class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self_attn = Attn(c); self.mlp = MLP(c)
        self.input_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
    def forward(self, x, mask):
        x = x + self.self_attn(self.input_layernorm(x), mask)
        return x + self.mlp(self.post_attention_layernorm(x))

class Inner(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])

class TinyLlama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.model = Inner(c)
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
    def forward(self, ids, attention_mask=None):
        B, L = ids.shape
        if attention_mask is None:
            attention_mask = torch.ones(B, L, dtype=torch.bool)
        causal = torch.tril(torch.ones(L, L, dtype=torch.bool))
        mask = causal[None] & attention_mask.bool()[:, None, :]   # [B, Lq, Lk]
        x = self.model.embed_tokens(ids)
        for layer in self.model.layers:
            x = layer(x, mask)
        return self.lm_head(self.model.norm(x))

def save_safetensors(sd, path):
    header, blobs, off = {}, [], 0
    for k in sorted(sd):
        t = sd[k].detach().to(torch.float32).contiguous()
        b = t.numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)

def load_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n)); data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__": continue
        a, b = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy()).reshape(v["shape"])
    return out

def load_model(d):
    c = json.load(open(f"{d}/config.json"))
    m = TinyLlama(c); m.load_state_dict(load_safetensors(f"{d}/model.safetensors")); m.eval()
    return m, c

class Tok:
    def __init__(self, path):
        j = json.load(open(path)); self.vocab = j["model"]["vocab"]
        self.inv = {v: k for k, v in self.vocab.items()}
    def encode(self, text, bos=True):
        ids = [self.vocab.get(w, 1) for w in text.split()]
        return ([2] if bos else []) + ids
    def decode(self, ids):
        return " ".join(self.inv[i] for i in ids if i > 3)
