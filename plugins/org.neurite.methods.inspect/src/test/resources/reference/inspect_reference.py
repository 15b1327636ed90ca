#!/usr/bin/python3
"""Independent reference for two weight/activation inspection methods.

B6  final-projection decoding of MLP units (Davies, "Flash Interpretability").
B5  max/median ratio of the residual stream ("massive activations",
    Sun et al. 2024; Hidden Dynamics of Massive Activations in Transformer Training).

Run from this folder with /usr/bin/python3 (torch + numpy). It (re)writes:
  tiny-llama/{config.json,model.safetensors,tokenizer.json}
  tiny-gpt2/{config.json,model.safetensors,tokenizer.json}
  massive.jsonl, decoding_expected.json, massive_expected.json
and exits non-zero, loudly, if any sanity check fails. See README.md.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

# --------------------------------------------------------------------------
# vocabulary, tokenizer, texts
# --------------------------------------------------------------------------
VOCAB = [
    "[UNK]", "the", "a", "dog", "cat", "paris", "london", "france", "england", "capital",
    "of", "is", "and", "in", "on", "at", "to", "by", "red", "blue",
    "green", "big", "small", "old", "new", "long", "happy", "fast", "sits", "runs",
    "eats", "drinks", "live", "reads", "see", "sees", "mat", "bread", "water", "night",
    "king", "queen", "house", "boy", "girl", "book", "school", "bird", "fish", "sky",
    "horse", "road", "tree", "sun", "moon", "day", "man", "woman", "apple", "car",
]
assert len(VOCAB) == 60 and len(set(VOCAB)) == 60
TOKEN_ID = {w: i for i, w in enumerate(VOCAB)}

# every text starts with "the" and "the" occurs nowhere else (the Llama plant is
# on the embedding of "the"); "zebra" is out of vocabulary and maps to [UNK].
TEXTS = [
    ("m1", "the dog sits on a red mat in paris"),
    ("m2", "the cat eats bread and drinks water at night"),
    ("m3", "the king and a queen live in a big old house"),
    ("m4", "the capital of france is paris and of england is london"),
    ("m5", "the boy reads a new book at school"),
    ("m6", "the bird and a fish see a blue zebra"),
    ("m7", "the horse runs fast on a long road"),
    ("m8", "the happy girl sees a dog and a cat by a green tree"),
]

PLANTED_INPUT = {  # (layer, unit) -> token read by that unit's input weights
    (1, 7): "dog",
    (0, 3): "paris",
}
PLANTED_OUTPUT = {  # (layer, unit) -> token written by that unit's output weights
    (0, 11): "cat",
}
MASSIVE_UNIT = (0, 20)  # the MLP unit that amplifies the planted dimension
MASSIVE_DIM = 5
MASSIVE_POS = 0


def tokenize(text):
    # WordLevel + Whitespace pre-tokenizer on lowercase, punctuation-free text:
    # split on spaces, unknown words -> [UNK].
    return [TOKEN_ID.get(w, TOKEN_ID["[UNK]"]) for w in text.split()]


def tokenizer_json():
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": {w: i for i, w in enumerate(VOCAB)},
                  "unk_token": "[UNK]"},
    }


# --------------------------------------------------------------------------
# safetensors, written and read by hand
# --------------------------------------------------------------------------
def write_safetensors(path, tensors):
    names = sorted(tensors)
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    blobs = []
    for name in names:
        arr = np.ascontiguousarray(tensors[name], dtype="<f4")
        raw = arr.tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((8 - len(hbytes) % 8) % 8)  # pad to 8-byte alignment
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {meta['dtype']}, expected F32")
        a, b = meta["data_offsets"]
        arr = np.frombuffer(data[base + a:base + b], dtype="<f4").reshape(meta["shape"])
        out[name] = arr.copy()
    return out


# --------------------------------------------------------------------------
# model construction (seeded)
# --------------------------------------------------------------------------
D = 32
V = len(VOCAB)


def build_llama():
    rng = np.random.default_rng(20240601)
    n_layer, d_ff = 2, 64
    t = {}
    emb = rng.normal(0.0, 0.02, (V, D))
    emb[:, MASSIVE_DIM] = 0.0                       # dimension 5 is quiet ...
    emb[TOKEN_ID["the"], MASSIVE_DIM] = 2.0         # ... except for "the"
    t["model.embed_tokens.weight"] = emb
    lm_head = rng.normal(0.0, 1.0, (V, D))          # large on purpose: peaked softmaxes
    t["lm_head.weight"] = lm_head
    t["model.norm.weight"] = rng.uniform(0.2, 1.8, D)  # non-unit final gain
    for L in range(n_layer):
        p = f"model.layers.{L}."
        t[p + "input_layernorm.weight"] = rng.uniform(0.8, 1.2, D)
        t[p + "post_attention_layernorm.weight"] = rng.uniform(0.8, 1.2, D)
        t[p + "self_attn.q_proj.weight"] = rng.normal(0.0, 0.02, (32, D))   # 4 heads x 8
        t[p + "self_attn.k_proj.weight"] = rng.normal(0.0, 0.02, (16, D))   # 2 kv heads x 8
        t[p + "self_attn.v_proj.weight"] = rng.normal(0.0, 0.02, (16, D))
        t[p + "self_attn.o_proj.weight"] = rng.normal(0.0, 0.02, (D, 32))
        t[p + "mlp.gate_proj.weight"] = rng.normal(0.0, 0.02, (d_ff, D))
        t[p + "mlp.up_proj.weight"] = rng.normal(0.0, 0.02, (d_ff, D))
        t[p + "mlp.down_proj.weight"] = rng.normal(0.0, 0.02, (D, d_ff))
    for (L, i), tok in PLANTED_INPUT.items():       # up_proj row i ~ 0.25 * W_U[tok]
        t[f"model.layers.{L}.mlp.up_proj.weight"][i] = \
            0.25 * lm_head[TOKEN_ID[tok]] + rng.normal(0.0, 0.02, D)
    for (L, i), tok in PLANTED_OUTPUT.items():      # down_proj column i ~ 0.25 * W_U[tok]
        t[f"model.layers.{L}.mlp.down_proj.weight"][:, i] = \
            0.25 * lm_head[TOKEN_ID[tok]] + rng.normal(0.0, 0.02, D)
    L, u = MASSIVE_UNIT                             # silu(2 x5) * (2 x5) -> 1.5 * e5
    e5 = np.zeros(D)
    e5[MASSIVE_DIM] = 1.0
    t[f"model.layers.{L}.mlp.gate_proj.weight"][u] = 2.0 * e5
    t[f"model.layers.{L}.mlp.up_proj.weight"][u] = 2.0 * e5
    t[f"model.layers.{L}.mlp.down_proj.weight"][:, u] = 1.5 * e5
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": D,
        "intermediate_size": d_ff,
        "num_hidden_layers": n_layer,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 8,
        "hidden_act": "silu",
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "rope_scaling": None,
        "vocab_size": V,
        "max_position_embeddings": 64,
        "tie_word_embeddings": False,
        "attention_bias": False,
        "mlp_bias": False,
        "pretraining_tp": 1,
        "initializer_range": 0.02,
        "torch_dtype": "float32",
        "use_cache": True,
        "bos_token_id": None,   # no BOS/EOS: nothing is prepended (HF defaults would
        "eos_token_id": None,   # name real word ids here)
    }
    return config, {k: v.astype(np.float32) for k, v in t.items()}


def build_gpt2():
    rng = np.random.default_rng(20240602)
    n_layer, d_ff = 2, 128
    t = {}
    wte = rng.normal(0.0, 0.1, (V, D))
    t["wte.weight"] = wte
    wpe = rng.normal(0.0, 0.02, (64, D))
    wpe[MASSIVE_POS, MASSIVE_DIM] = 3.0              # position 0, dimension 5
    t["wpe.weight"] = wpe
    t["ln_f.weight"] = rng.uniform(0.2, 1.8, D)      # non-unit final gain
    t["ln_f.bias"] = rng.normal(0.0, 0.1, D)         # and a real bias
    for L in range(n_layer):
        p = f"h.{L}."
        t[p + "ln_1.weight"] = rng.uniform(0.8, 1.2, D)
        t[p + "ln_1.bias"] = rng.normal(0.0, 0.02, D)
        t[p + "attn.c_attn.weight"] = rng.normal(0.0, 0.02, (D, 3 * D))   # Conv1D [in, out]
        t[p + "attn.c_attn.bias"] = rng.normal(0.0, 0.02, 3 * D)
        t[p + "attn.c_proj.weight"] = rng.normal(0.0, 0.02, (D, D))
        t[p + "attn.c_proj.bias"] = rng.normal(0.0, 0.02, D)
        t[p + "ln_2.weight"] = rng.uniform(0.8, 1.2, D)
        t[p + "ln_2.bias"] = rng.normal(0.0, 0.02, D)
        t[p + "mlp.c_fc.weight"] = rng.normal(0.0, 0.02, (D, d_ff))
        t[p + "mlp.c_fc.bias"] = rng.normal(0.0, 0.02, d_ff)
        t[p + "mlp.c_proj.weight"] = rng.normal(0.0, 0.02, (d_ff, D))
        t[p + "mlp.c_proj.bias"] = rng.normal(0.0, 0.02, D)
    for (L, i), tok in PLANTED_INPUT.items():       # c_fc column i ~ 10 * wte[tok]
        t[f"h.{L}.mlp.c_fc.weight"][:, i] = 10.0 * wte[TOKEN_ID[tok]] + rng.normal(0.0, 0.02, D)
    for (L, i), tok in PLANTED_OUTPUT.items():      # c_proj row i ~ 10 * wte[tok]
        t[f"h.{L}.mlp.c_proj.weight"][i] = 10.0 * wte[TOKEN_ID[tok]] + rng.normal(0.0, 0.02, D)
    L, u = MASSIVE_UNIT                             # gelu(3 x5 - 10) -> 40 * e5
    e5 = np.zeros(D)
    e5[MASSIVE_DIM] = 1.0
    t[f"h.{L}.mlp.c_fc.weight"][:, u] = 3.0 * e5
    t[f"h.{L}.mlp.c_fc.bias"][u] = -10.0
    t[f"h.{L}.mlp.c_proj.weight"][u] = 40.0 * e5
    config = {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "n_embd": D,
        "n_layer": n_layer,
        "n_head": 4,
        "n_inner": None,
        "n_positions": 64,
        "n_ctx": 64,
        "vocab_size": V,
        "layer_norm_epsilon": 1e-5,
        "activation_function": "gelu_new",
        "tie_word_embeddings": True,
        "scale_attn_weights": True,
        "scale_attn_by_inverse_layer_idx": False,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "initializer_range": 0.02,
        "torch_dtype": "float32",
        "use_cache": True,
        "bos_token_id": None,   # no BOS/EOS: nothing is prepended (HF defaults would
        "eos_token_id": None,   # name real word ids here)
    }
    return config, {k: v.astype(np.float32) for k, v in t.items()}


# --------------------------------------------------------------------------
# forwards in float64 (written from HF LlamaForCausalLM / GPT2LMHeadModel)
# --------------------------------------------------------------------------
def f64(weights):
    return {k: torch.from_numpy(v.astype(np.float64)) for k, v in weights.items()}


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = (x - mu).pow(2).mean(-1, keepdim=True)   # biased variance, as torch LayerNorm
    return (x - mu) / torch.sqrt(var + eps) * w + b


def causal_softmax(scores):
    s = scores.shape[-1]
    mask = torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1)
    return torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def llama_forward(cfg, w, ids):
    """One sequence -> (residual states [embed, after layer 0, ...], final-norm output, logits)."""
    nh, nkv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    eps = cfg["rms_norm_eps"]
    S = len(ids)
    h = w["model.embed_tokens.weight"][torch.tensor(ids)]
    states = [h]
    inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    freqs = torch.arange(S, dtype=torch.float64)[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)          # [S, hd]
    cos, sin = emb.cos().to(h.dtype), emb.sin().to(h.dtype)  # no-op in float64
    for L in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{L}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).view(S, nh, hd).transpose(0, 1)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).view(S, nkv, hd).transpose(0, 1)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).view(S, nkv, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = nh // nkv                               # query head j uses kv head j // rep
        k = k.repeat_interleave(rep, dim=0)
        v = v.repeat_interleave(rep, dim=0)
        att = causal_softmax(q @ k.transpose(-1, -2) / math.sqrt(hd))
        o = (att @ v).transpose(0, 1).reshape(S, nh * hd)
        h = h + o @ w[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        g = x @ w[p + "mlp.gate_proj.weight"].T
        u = x @ w[p + "mlp.up_proj.weight"].T
        h = h + (torch.nn.functional.silu(g) * u) @ w[p + "mlp.down_proj.weight"].T
        states.append(h)
    normed = rms_norm(h, w["model.norm.weight"], eps)
    return states, normed, normed @ w["lm_head.weight"].T


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def gpt2_forward(cfg, w, ids):
    nh = cfg["n_head"]
    hd = cfg["n_embd"] // nh
    eps = cfg["layer_norm_epsilon"]
    S = len(ids)
    h = w["wte.weight"][torch.tensor(ids)] + w["wpe.weight"][:S]
    states = [h]
    for L in range(cfg["n_layer"]):
        p = f"h.{L}."
        x = layer_norm(h, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = x @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = qkv.split(cfg["n_embd"], dim=-1)
        q, k, v = (t.view(S, nh, hd).transpose(0, 1) for t in (q, k, v))
        att = causal_softmax(q @ k.transpose(-1, -2) / math.sqrt(hd))
        o = (att @ v).transpose(0, 1).reshape(S, cfg["n_embd"])
        h = h + o @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        x = layer_norm(h, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(x @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        h = h + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
        states.append(h)
    normed = layer_norm(h, w["ln_f.weight"], w["ln_f.bias"], eps)
    return states, normed, normed @ w["wte.weight"].T


def loop_forward(kind, cfg, w, ids):
    """A second, deliberately naive forward (numpy, per position, per head, explicit
    sums) used only to cross-check the vectorised one above."""
    W = {k: v.numpy() for k, v in w.items()}
    S = len(ids)
    if kind == "llama":
        nh, nkv, hd, eps = (cfg["num_attention_heads"], cfg["num_key_value_heads"],
                            cfg["head_dim"], cfg["rms_norm_eps"])
        n_layer = cfg["num_hidden_layers"]
    else:
        nh, eps, n_layer = cfg["n_head"], cfg["layer_norm_epsilon"], cfg["n_layer"]
        hd = cfg["n_embd"] // nh

    def rms(x, g):
        return np.array([x[j] / math.sqrt(sum(t * t for t in x) / len(x) + eps) * g[j]
                         for j in range(len(x))])

    def ln(x, g, b):
        mu = sum(x) / len(x)
        var = sum((t - mu) ** 2 for t in x) / len(x)
        return np.array([(x[j] - mu) / math.sqrt(var + eps) * g[j] + b[j] for j in range(len(x))])

    def rope(vec, pos):
        out = np.zeros(hd)
        half = hd // 2
        for j in range(half):
            theta = pos / (cfg["rope_theta"] ** (2 * j / hd))
            c, s_ = math.cos(theta), math.sin(theta)
            out[j] = vec[j] * c - vec[j + half] * s_
            out[j + half] = vec[j + half] * c + vec[j] * s_
        return out

    if kind == "llama":
        h = [W["model.embed_tokens.weight"][t].copy() for t in ids]
    else:
        h = [W["wte.weight"][t] + W["wpe.weight"][pos] for pos, t in enumerate(ids)]
    states = [np.array(h)]
    for L in range(n_layer):
        if kind == "llama":
            p = f"model.layers.{L}."
            xs = [rms(v, W[p + "input_layernorm.weight"]) for v in h]
            qs = [W[p + "self_attn.q_proj.weight"] @ x for x in xs]
            ks = [W[p + "self_attn.k_proj.weight"] @ x for x in xs]
            vs = [W[p + "self_attn.v_proj.weight"] @ x for x in xs]
        else:
            p = f"h.{L}."
            xs = [ln(v, W[p + "ln_1.weight"], W[p + "ln_1.bias"]) for v in h]
            qkv = [W[p + "attn.c_attn.weight"].T @ x + W[p + "attn.c_attn.bias"] for x in xs]
            n = cfg["n_embd"]
            qs, ks, vs = [a[:n] for a in qkv], [a[n:2 * n] for a in qkv], [a[2 * n:] for a in qkv]
        new_h = []
        for i in range(S):
            heads = []
            for j in range(nh):
                kvh = j // (nh // nkv) if kind == "llama" else j
                qv = qs[i][j * hd:(j + 1) * hd]
                if kind == "llama":
                    qv = rope(qv, i)
                sc = []
                for t in range(i + 1):
                    kv = ks[t][kvh * hd:(kvh + 1) * hd]
                    if kind == "llama":
                        kv = rope(kv, t)
                    sc.append(sum(qv[c] * kv[c] for c in range(hd)) / math.sqrt(hd))
                m = max(sc)
                e = [math.exp(z - m) for z in sc]
                z = sum(e)
                heads.append(sum((e[t] / z) * vs[t][kvh * hd:(kvh + 1) * hd] for t in range(i + 1)))
            o = np.concatenate(heads)
            if kind == "llama":
                r = h[i] + W[p + "self_attn.o_proj.weight"] @ o
                x = rms(r, W[p + "post_attention_layernorm.weight"])
                g = W[p + "mlp.gate_proj.weight"] @ x
                u = W[p + "mlp.up_proj.weight"] @ x
                act = np.array([g[c] / (1.0 + math.exp(-g[c])) * u[c] for c in range(len(g))])
                new_h.append(r + W[p + "mlp.down_proj.weight"] @ act)
            else:
                r = h[i] + W[p + "attn.c_proj.weight"].T @ o + W[p + "attn.c_proj.bias"]
                x = ln(r, W[p + "ln_2.weight"], W[p + "ln_2.bias"])
                f = W[p + "mlp.c_fc.weight"].T @ x + W[p + "mlp.c_fc.bias"]
                act = np.array([0.5 * c * (1 + math.tanh(math.sqrt(2 / math.pi) * (c + 0.044715 * c ** 3)))
                                for c in f])
                new_h.append(r + W[p + "mlp.c_proj.weight"].T @ act + W[p + "mlp.c_proj.bias"])
        h = new_h
        states.append(np.array(h))
    return states


# --------------------------------------------------------------------------
# B6: decoding
# --------------------------------------------------------------------------
def unit_vectors(kind, cfg, w):
    """Yields (layer, unit, input vector, output vector) in float64."""
    if kind == "llama":
        for L in range(cfg["num_hidden_layers"]):
            up = w[f"model.layers.{L}.mlp.up_proj.weight"]       # [d_ff, d]: row = input
            down = w[f"model.layers.{L}.mlp.down_proj.weight"]   # [d, d_ff]: column = output
            for i in range(up.shape[0]):
                yield L, i, up[i], down[:, i]
    else:
        for L in range(cfg["n_layer"]):
            fc = w[f"h.{L}.mlp.c_fc.weight"]                     # [d, d_ff]: column = input
            proj = w[f"h.{L}.mlp.c_proj.weight"]                 # [d_ff, d]: row = output
            for i in range(fc.shape[1]):
                yield L, i, fc[:, i], proj[i]


def variants(kind, cfg, w, vec):
    """The decoded logit vectors of one weight vector, by variant name."""
    if kind == "llama":
        W_U, g = w["lm_head.weight"], w["model.norm.weight"]
        return {
            "plain": W_U @ vec,
            "gain": W_U @ (g * vec),
            "full_norm": W_U @ rms_norm(vec, g, cfg["rms_norm_eps"]),
        }
    W_U, g, b = w["wte.weight"], w["ln_f.weight"], w["ln_f.bias"]
    return {
        "plain": W_U @ vec,
        "gain": W_U @ (g * vec),
        "gain_bias": W_U @ (g * vec + b),
        "full_norm": W_U @ layer_norm(vec, g, b, cfg["layer_norm_epsilon"]),
    }


def top5(logits):
    probs = torch.softmax(logits, dim=0)
    order = sorted(range(len(logits)), key=lambda j: (-float(logits[j]), j))[:5]
    return [{"id": j, "token": VOCAB[j], "prob": float(probs[j]), "logit": float(logits[j])}
            for j in order]


def rank_of(logits, token_id):
    return 1 + int((logits > logits[token_id]).sum())


def decoding(kind, cfg, w):
    units = []
    for L, i, vin, vout in unit_vectors(kind, cfg, w):
        entry = {"layer": L, "unit": i}
        for reading, vec in (("input", vin), ("output", vout)):
            entry[reading] = {name: {"logits": [float(x) for x in lg], "top5": top5(lg)}
                              for name, lg in variants(kind, cfg, w, vec).items()}
        units.append(entry)
    names = list(units[0]["input"].keys())
    lookup = {}
    for tok in sorted(set(PLANTED_INPUT.values()) | set(PLANTED_OUTPUT.values())):
        lookup[tok] = {}
        for reading in ("input", "output"):
            lookup[tok][reading] = {}
            for name in names:
                top1 = [[u["layer"], u["unit"]] for u in units
                        if u[reading][name]["top5"][0]["token"] == tok]
                in5 = [[u["layer"], u["unit"]] for u in units
                       if tok in [t["token"] for t in u[reading][name]["top5"]]]
                lookup[tok][reading][name] = {"top1": top1, "top5": in5}
    if kind == "llama":
        norm = {"type": "RMSNorm", "tensor": "model.norm.weight", "eps": cfg["rms_norm_eps"],
                "gain": [float(x) for x in w["model.norm.weight"]], "bias": None}
        unemb = "lm_head.weight"
    else:
        norm = {"type": "LayerNorm", "tensor": "ln_f.weight / ln_f.bias",
                "eps": cfg["layer_norm_epsilon"],
                "gain": [float(x) for x in w["ln_f.weight"]],
                "bias": [float(x) for x in w["ln_f.bias"]]}
        unemb = "wte.weight (tied)"
    return {"unembedding": unemb, "final_norm": norm, "variants": names, "units": units,
            "token_lookup": lookup}


# --------------------------------------------------------------------------
# B5: massive activations
# --------------------------------------------------------------------------
def lower_median(t):
    return float(torch.median(t.flatten()))          # torch: lower of the two middles


def mean_median(t):
    return float(np.median(t.flatten().numpy()))     # numpy: mean of the two middles


def massive(kind, cfg, w, texts):
    fwd = llama_forward if kind == "llama" else gpt2_forward
    per_seq = []
    for tid, text in texts:
        ids = tokenize(text)
        states, normed, logits = fwd(cfg, w, ids)
        per_seq.append((tid, ids, states + [normed], logits))
    n_states = len(per_seq[0][2]) - 1
    # "final_norm" is not a residual state: it is what HF's output_hidden_states
    # puts last (the last layer's output after the final norm); given for comparison.
    layer_names = ["embed"] + [str(L) for L in range(n_states - 1)] + ["final_norm"]
    layers = []
    for li, lname in enumerate(layer_names):
        seqs = []
        for tid, ids, states, _ in per_seq:
            a = states[li].abs()
            S, d = a.shape
            mx = float(a.max())
            flat = int(torch.argmax(a.flatten()))
            med_lo, med_mean = lower_median(a), mean_median(a)
            per_token = []
            for t in range(S):
                row = a[t]
                m_lo, m_mean = lower_median(row), mean_median(row)
                per_token.append({
                    "position": t, "max_abs": float(row.max()),
                    "argmax_dim": int(torch.argmax(row)),
                    "median_abs_lower": m_lo, "median_abs_mean": m_mean,
                    "ratio_lower": float(row.max()) / m_lo,
                    "ratio_mean": float(row.max()) / m_mean})
            seqs.append({
                "id": tid, "token_ids": ids, "seq_len": S,
                "max_abs": mx, "argmax": [flat // d, flat % d],
                "median_abs_lower": med_lo, "median_abs_mean": med_mean,
                "ratio_lower": mx / med_lo, "ratio_mean": mx / med_mean,
                "sun_count_lower": int(((a > 100.0) & (a / med_lo >= 1000.0)).sum()),
                "sun_count_mean": int(((a > 100.0) & (a / med_mean >= 1000.0)).sum()),
                "sun_entries_lower": [[int(p), int(q)] for p, q in
                                      torch.nonzero((a > 100.0) & (a / med_lo >= 1000.0)).tolist()],
                "per_token": per_token})
        summary = {}
        for which in ("lower", "mean"):
            r = np.array([s["ratio_" + which] for s in seqs])
            summary["mean_ratio_" + which] = float(r.mean())
            summary["sem_ratio_" + which + "_ddof1"] = float(r.std(ddof=1) / math.sqrt(len(r)))
            summary["sem_ratio_" + which + "_ddof0"] = float(r.std(ddof=0) / math.sqrt(len(r)))
        layers.append({"layer": lname, **summary, "sequences": seqs})
    logits_out = [{"id": tid, "last_position_logits": [float(x) for x in lg[-1]]}
                  for tid, _, _, lg in per_seq]
    return {"layers": layers, "final_logits": logits_out}


# --------------------------------------------------------------------------
# sanity checks
# --------------------------------------------------------------------------
FAILURES = []


def check(cond, msg):
    print(("  ok    " if cond else "  FAIL  ") + msg)
    if not cond:
        FAILURES.append(msg)


def sanity(kind, cfg, w, dec, mas, folder):
    print(f"[{kind}]")
    back = read_safetensors(os.path.join(folder, "model.safetensors"))
    check(all(np.array_equal(back[k].astype(np.float64), w[k].numpy()) for k in w)
          and set(back) == set(w), "safetensors round trip is exact")
    units = {(u["layer"], u["unit"]): u for u in dec["units"]}
    for reading, planted in (("input", PLANTED_INPUT), ("output", PLANTED_OUTPUT)):
        for (L, i), tok in planted.items():
            for name in dec["variants"]:
                top = units[(L, i)][reading][name]["top5"][0]
                check(top["token"] == tok,
                      f"{reading} {name}: layer {L} unit {i} top-1 is {top['token']} "
                      f"(p={top['prob']:.4f}), planted {tok}")
    for name in dec["variants"]:
        if name == "plain":
            continue
        changed = sum(1 for u in dec["units"] for r in ("input", "output")
                      if u[r][name]["top5"][0]["id"] != u[r]["plain"]["top5"][0]["id"])
        check(changed > 0, f"variant {name} changes the top-1 of {changed} unit readings vs plain")
    if "gain_bias" in dec["variants"]:
        changed = sum(1 for u in dec["units"] for r in ("input", "output")
                      if u[r]["gain_bias"]["top5"][0]["id"] != u[r]["gain"]["top5"][0]["id"])
        check(changed > 0, f"the final-norm bias changes the top-1 of {changed} unit readings")
    for lay in mas["layers"]:
        total = sum(s["sun_count_lower"] for s in lay["sequences"])
        if lay["layer"] == "embed":
            check(total == 0, f"embed: no Sun-massive entries ({total})")
            continue
        if lay["layer"] == "final_norm":
            continue
        at = all(s["argmax"] == [MASSIVE_POS, MASSIVE_DIM] for s in lay["sequences"])
        check(at, f"layer {lay['layer']}: max|h| at (pos {MASSIVE_POS}, dim {MASSIVE_DIM}) in all sequences")
        check(all(s["sun_entries_lower"] == [[MASSIVE_POS, MASSIVE_DIM]] for s in lay["sequences"]),
              f"layer {lay['layer']}: the only Sun-massive entry is ({MASSIVE_POS}, {MASSIVE_DIM}) "
              f"in every sequence ({total} in all)")
    fwd = llama_forward if kind == "llama" else gpt2_forward
    ids = tokenize(TEXTS[3][1])
    full, _, _ = fwd(cfg, w, ids)
    pre, _, _ = fwd(cfg, w, ids[:5])
    check(all(torch.allclose(a[:5], b, rtol=0, atol=1e-12) for a, b in zip(full, pre)),
          "causal: a prefix's hidden states equal the first positions of the full sequence")
    naive = loop_forward(kind, cfg, w, ids)
    err = max(float(np.abs(a.numpy() - b).max() / np.abs(b).max()) for a, b in zip(full, naive))
    check(err < 1e-12, f"naive per-position forward agrees with the vectorised one to {err:.2e} relative")
    w32 = {k: v.float() for k, v in w.items()}
    s32, _, _ = fwd(cfg, w32, ids)
    err = max(float((a.double() - b).abs().max() / b.abs().max()) for a, b in zip(s32, full))
    check(err < 1e-5, f"float32 forward agrees with float64 to {err:.2e} relative")


# --------------------------------------------------------------------------
def main():
    out = {}
    for name, kind, build in (("tiny-llama", "llama", build_llama), ("tiny-gpt2", "gpt2", build_gpt2)):
        cfg, weights = build()
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
            f.write("\n")
        with open(os.path.join(folder, "tokenizer.json"), "w") as f:
            json.dump(tokenizer_json(), f, indent=2)
            f.write("\n")
        write_safetensors(os.path.join(folder, "model.safetensors"), weights)
        w = f64(read_safetensors(os.path.join(folder, "model.safetensors")))
        out[name] = (kind, cfg, w, folder)

    with open(os.path.join(HERE, "massive.jsonl"), "w") as f:
        for tid, text in TEXTS:
            f.write(json.dumps({"id": tid, "text": text}) + "\n")

    dec_all, mas_all = {}, {}
    for name, (kind, cfg, w, folder) in out.items():
        dec_all[name] = decoding(kind, cfg, w)
        mas_all[name] = massive(kind, cfg, w, TEXTS)
        sanity(kind, cfg, w, dec_all[name], mas_all[name], folder)

    common = {"generator": "inspect_reference.py", "vocab": VOCAB,
              "planted_input": {f"{L}:{i}": t for (L, i), t in PLANTED_INPUT.items()},
              "planted_output": {f"{L}:{i}": t for (L, i), t in PLANTED_OUTPUT.items()}}
    with open(os.path.join(HERE, "decoding_expected.json"), "w") as f:
        json.dump({**common, "models": dec_all}, f)
        f.write("\n")
    with open(os.path.join(HERE, "massive_expected.json"), "w") as f:
        json.dump({"generator": "inspect_reference.py", "texts": "massive.jsonl",
                   "massive_position": MASSIVE_POS, "massive_dimension": MASSIVE_DIM,
                   "sun_thresholds": {"abs_gt": 100.0, "ratio_ge": 1000.0},
                   "models": mas_all}, f, indent=1)
        f.write("\n")

    print_figures(dec_all, mas_all)
    if FAILURES:
        print("\n!!!!!!!! SANITY CHECK FAILED !!!!!!!!", file=sys.stderr)
        for m in FAILURES:
            print("  " + m, file=sys.stderr)
        sys.exit(1)
    print("\nall sanity checks passed")


def print_figures(dec_all, mas_all):
    for name, dec in dec_all.items():
        print(f"\n== {name}: planted units, rank of the planted token (1 = top) and its probability")
        units = {(u["layer"], u["unit"]): u for u in dec["units"]}
        for reading, planted in (("input", PLANTED_INPUT), ("output", PLANTED_OUTPUT)):
            for (L, i), tok in planted.items():
                cells = []
                for v in dec["variants"]:
                    lg = torch.tensor(units[(L, i)][reading][v]["logits"], dtype=torch.float64)
                    p = float(torch.softmax(lg, 0)[TOKEN_ID[tok]])
                    cells.append(f"{v} r{rank_of(lg, TOKEN_ID[tok])} p={p:.4f}")
                print(f"  {reading:6s} L{L} u{i} {tok:6s}: " + ", ".join(cells))
        for tok, by in dec["token_lookup"].items():
            for reading in ("input", "output"):
                v = by[reading]
                print(f"  {tok:6s} {reading:6s} top1: " +
                      "; ".join(f"{k}={v[k]['top1']}" for k in v) +
                      " | top5 counts: " + ", ".join(f"{k}={len(v[k]['top5'])}" for k in v))
    for name, mas in mas_all.items():
        print(f"\n== {name}: max|h| / median|h| per layer (mean over 8 sequences, SEM ddof=1)")
        for lay in mas["layers"]:
            mx = [s["max_abs"] for s in lay["sequences"]]
            print(f"  {lay['layer']:5s} ratio(lower) {lay['mean_ratio_lower']:12.3f} "
                  f"± {lay['sem_ratio_lower_ddof1']:10.3f}   ratio(mean) {lay['mean_ratio_mean']:12.3f} "
                  f"± {lay['sem_ratio_mean_ddof1']:10.3f}   max|h| {min(mx):8.3f}..{max(mx):8.3f}  "
                  f"sun {sum(s['sun_count_lower'] for s in lay['sequences'])}")


if __name__ == "__main__":
    main()
