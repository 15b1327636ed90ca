# Independent float64 reference for Neurite's per-unit statistics and attributions (issue 9).
#
# Written from Hugging Face's LlamaForCausalLM (modeling_llama.py: RMSNorm, rotate_half RoPE,
# grouped-query attention with repeat_kv, causal softmax attention, SwiGLU MLP) and from the
# papers' formulas, not from Neurite's code:
#   statistics per unit over tokens: count, mean, population variance (divide by count),
#     P(x > 0), mean |x|, E[x^2], min, max;
#   gradient x activation: score_u = mean_t a[t,u] * dT/da[t,u], with
#     T = mean over response positions t >= max(1, r) of log softmax(logits[t-1])[id[t]];
#   integrated gradients (Sundararajan et al. 2017), baseline 0, m = 50 midpoint steps
#     alpha_k = (k + 0.5) / m: score_u = sum_t a[t,u] * (1/m) sum_k dT/dv[t,u] at v = alpha_k a,
#     T = log softmax(logits[last])[answer];
#   attribution patching (Nanda 2023; Syed et al. 2023):
#     score_u = sum_t (a_clean[t,u] - a_corrupt[t,u]) * dT/da_corrupt[t,u],
#     T = log softmax(logits of the corrupted sequence at its last position)[answer].
# Every attribution is taken at blocks.1.mlp.hook_post, the input of layer 1's down_proj,
# act(gate_proj(x)) * up_proj(x), shape [tokens, intermediate_size]; gradients are with respect
# to that hook's value with the weights fixed. The script checks its own gradients against
# central finite differences and reports IG's completeness gap.
#
# Produced with Debian's python3-torch 1.13 (torch 1.13.0a0) and numpy 1.24:
#   cd bundles/org.neurite.analysis/src/test/resources/reference && /usr/bin/python3 attribution_reference.py
# It writes tiny-llama/config.json, tiny-llama/model.safetensors and expected.json beside itself.
# The Java build never runs this script; PyTorchReferenceTest only reads what it wrote.

import json
import math
import os
import struct

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "tiny-llama")
SEED = 20240909
HOOK_LAYER = 1
IG_STEPS = 50

CONFIG = {
    "model_type": "llama",
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 16,
    "intermediate_size": 24,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 48,
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-6,
    "rope_theta": 10000.0,
    "hidden_act": "silu",
    "tie_word_embeddings": False,
    "torch_dtype": "float64",
}


# ---------------------------------------------------------------- checkpoint

def random_weights(rng):
    c = CONFIG
    d, f, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    hd = d // c["num_attention_heads"]
    kv = c["num_key_value_heads"] * hd

    def gauss(*shape):
        return rng.standard_normal(shape) * 0.3

    def norm():
        return 1.0 + rng.standard_normal(d) * 0.1

    w = {"model.embed_tokens.weight": gauss(v, d)}
    for layer in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        w[p + "input_layernorm.weight"] = norm()
        w[p + "self_attn.q_proj.weight"] = gauss(d, d)
        w[p + "self_attn.k_proj.weight"] = gauss(kv, d)
        w[p + "self_attn.v_proj.weight"] = gauss(kv, d)
        w[p + "self_attn.o_proj.weight"] = gauss(d, d)
        w[p + "post_attention_layernorm.weight"] = norm()
        w[p + "mlp.gate_proj.weight"] = gauss(f, d)
        w[p + "mlp.up_proj.weight"] = gauss(f, d)
        w[p + "mlp.down_proj.weight"] = gauss(d, f)
    w["model.norm.weight"] = norm()
    w["lm_head.weight"] = gauss(v, d)
    return w


def write_safetensors(path, tensors):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for chunk in chunks:
            out.write(chunk)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    body = raw[8 + n:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F64", name
        begin, end = entry["data_offsets"]
        out[name] = torch.from_numpy(
            np.frombuffer(body[begin:end], dtype="<f8").reshape(entry["shape"]).copy())
    return out


# ---------------------------------------------------------------- model (HF Llama, float64)

def rms_norm(x, weight):
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + CONFIG["rms_norm_eps"]))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_cos_sin(length, head_dim):
    inv_freq = 1.0 / (CONFIG["rope_theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    freqs = torch.outer(torch.arange(length, dtype=torch.float64), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def attention(x, w, p):
    c = CONFIG
    t = x.shape[0]
    heads, kv_heads = c["num_attention_heads"], c["num_key_value_heads"]
    hd = c["hidden_size"] // heads
    q = (x @ w[p + "self_attn.q_proj.weight"].T).view(t, heads, hd).transpose(0, 1)
    k = (x @ w[p + "self_attn.k_proj.weight"].T).view(t, kv_heads, hd).transpose(0, 1)
    v = (x @ w[p + "self_attn.v_proj.weight"].T).view(t, kv_heads, hd).transpose(0, 1)
    cos, sin = rope_cos_sin(t, hd)
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    rep = heads // kv_heads  # repeat_kv: kv head j serves query heads j*rep .. j*rep+rep-1
    k = k.repeat_interleave(rep, dim=0)
    v = v.repeat_interleave(rep, dim=0)
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, float("-inf"))
    probs = torch.softmax(scores, dim=-1)
    out = (probs @ v).transpose(0, 1).reshape(t, heads * hd)
    return out @ w[p + "self_attn.o_proj.weight"].T


def forward(w, ids, replace=None):
    """Logits [tokens, vocab] and every layer's mlp.hook_post [tokens, d_mlp].

    replace(layer, value) may return a tensor that stands in for that layer's hook_post."""
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    posts = []
    for layer in range(CONFIG["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        x = x + attention(rms_norm(x, w[p + "input_layernorm.weight"]), w, p)
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"])
        post = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T) * (h @ w[p + "mlp.up_proj.weight"].T)
        if replace is not None:
            swapped = replace(layer, post)
            if swapped is not None:
                post = swapped
        posts.append(post)
        x = x + post @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"])
    return x @ w["lm_head.weight"].T, posts


# ---------------------------------------------------------------- targets and gradients

def response_target(logits, ids, start):
    logp = torch.log_softmax(logits, dim=-1)
    positions = range(max(1, start), len(ids))
    return torch.stack([logp[t - 1, ids[t]] for t in positions]).mean()


def last_target(logits, answer):
    return torch.log_softmax(logits[-1], dim=-1)[answer]


def target_at(w, ids, value, target):
    """T with blocks.HOOK_LAYER.mlp.hook_post replaced by value."""
    logits, _ = forward(w, ids, lambda layer, post: value if layer == HOOK_LAYER else None)
    return target(logits)


def gradient_at(w, ids, value, target):
    value = value.detach().clone().requires_grad_(True)
    t = target_at(w, ids, value, target)
    (grad,) = torch.autograd.grad(t, value)
    return t.item(), grad


def activation(w, ids, layer=HOOK_LAYER):
    with torch.no_grad():
        return forward(w, ids)[1][layer]


# ---------------------------------------------------------------- checks

def finite_difference(w, ids, value, target, direction, h=1e-5):
    with torch.no_grad():
        plus = target_at(w, ids, value + h * direction, target).item()
        minus = target_at(w, ids, value - h * direction, target).item()
    return (plus - minus) / (2 * h)


def check_gradient(w, ids, value, target, grad, rng, label, worst):
    """Single entries dT/dv[t,u] and the directional derivative along v[:,u] (which is
    sum_t v[t,u] dT/dv[t,u]) against central differences."""
    tokens, units = value.shape
    for _ in range(3):
        t, u = int(rng.integers(tokens)), int(rng.integers(units))
        e = torch.zeros_like(value)
        e[t, u] = 1.0
        fd = finite_difference(w, ids, value, target, e)
        err = abs(fd - grad[t, u].item()) / max(1e-3, abs(fd))
        worst[0] = max(worst[0], err)
        print("  %s dT/dv[%d,%d] autograd %+.12e  finite diff %+.12e  rel err %.1e"
              % (label, t, u, grad[t, u].item(), fd, err))
    for u in rng.choice(units, size=2, replace=False):
        e = torch.zeros_like(value)
        e[:, u] = value[:, u]
        fd = finite_difference(w, ids, value, target, e)
        analytic = (value[:, u] * grad[:, u]).sum().item()
        err = abs(fd - analytic) / max(1e-3, abs(fd))
        worst[0] = max(worst[0], err)
        print("  %s sum_t v[t,%d] dT/dv[t,%d] autograd %+.12e  finite diff %+.12e  rel err %.1e"
              % (label, u, u, analytic, fd, err))


# ---------------------------------------------------------------- main

def main():
    rng = np.random.default_rng(SEED)
    os.makedirs(MODEL_DIR, exist_ok=True)
    with open(os.path.join(MODEL_DIR, "config.json"), "w") as out:
        json.dump(CONFIG, out, indent=2)
        out.write("\n")
    weights = random_weights(rng)
    write_safetensors(os.path.join(MODEL_DIR, "model.safetensors"), weights)
    w = read_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
    assert set(w) == set(weights)
    for name in weights:
        assert np.array_equal(w[name].numpy(), weights[name]), name

    vocab = CONFIG["vocab_size"]
    lengths, groups, starts = [7, 5, 9, 6], ["a", "a", "b", "b"], [3, 2, 4, 1]
    sequences = []
    for length, group, start in zip(lengths, groups, starts):
        ids = [int(i) for i in rng.integers(0, vocab, size=length)]
        corrupted = list(ids)
        for position in rng.choice(length, size=2, replace=False):
            corrupted[position] = int((ids[position] + rng.integers(1, vocab)) % vocab)
        sequences.append({"ids": ids, "group": group, "response_start": start,
                          "answer": int(rng.integers(0, vocab)), "corrupted": corrupted})

    # statistics per layer and group, rows = tokens
    stats = {}
    for layer in range(CONFIG["num_hidden_layers"]):
        per_group = {}
        for group in sorted(set(groups)):
            rows = torch.cat([activation(w, s["ids"], layer) for s in sequences if s["group"] == group])
            n = rows.shape[0]
            mean = rows.mean(0)
            per_group[group] = {
                "count": n,
                "mean": mean.tolist(),
                "variance": ((rows - mean) ** 2).sum(0).div(n).tolist(),
                "positive_rate": (rows > 0).double().mean(0).tolist(),
                "mean_abs": rows.abs().mean(0).tolist(),
                "mean_square": (rows ** 2).mean(0).tolist(),
                "min": rows.min(0).values.tolist(),
                "max": rows.max(0).values.tolist(),
            }
        stats["blocks.%d.mlp.hook_post" % layer] = per_group

    check_rng = np.random.default_rng(SEED + 1)
    worst = [0.0]
    grad_x_act, integrated, patching = [], [], []
    for i, s in enumerate(sequences):
        ids = s["ids"]
        a = activation(w, ids)

        target = lambda logits, ids=ids, r=s["response_start"]: response_target(logits, ids, r)
        t_value, grad = gradient_at(w, ids, a, target)
        print("sequence %d grad x act, T = %.12f" % (i, t_value))
        check_gradient(w, ids, a, target, grad, check_rng, "gxa", worst)
        grad_x_act.append({"target": t_value, "scores": (a * grad).mean(0).tolist()})

        target = lambda logits, answer=s["answer"]: last_target(logits, answer)
        total = torch.zeros_like(a)
        for k in range(IG_STEPS):
            alpha = (k + 0.5) / IG_STEPS
            _, g = gradient_at(w, ids, alpha * a, target)
            total += g
            if k == IG_STEPS // 2:
                check_gradient(w, ids, alpha * a, target, g, check_rng, "ig alpha=%.2f" % alpha, worst)
        scores = (a * total / IG_STEPS).sum(0)
        with torch.no_grad():
            t_x = target_at(w, ids, a, target).item()
            t_0 = target_at(w, ids, torch.zeros_like(a), target).item()
        gap = scores.sum().item() - (t_x - t_0)
        print("sequence %d IG: sum of scores %.12f, T(x) - T(0) %.12f, completeness gap %.3e (%.2e of |T(x)-T(0)|)"
              % (i, scores.sum().item(), t_x - t_0, gap, abs(gap) / abs(t_x - t_0)))
        integrated.append({"target": t_x, "baseline_target": t_0, "scores": scores.tolist(),
                           "completeness_gap": gap})

        corrupted = s["corrupted"]
        a_corrupt = activation(w, corrupted)
        t_value, grad = gradient_at(w, corrupted, a_corrupt, target)
        print("sequence %d attribution patching, T(corrupted) = %.12f" % (i, t_value))
        check_gradient(w, corrupted, a_corrupt, target, grad, check_rng, "ap", worst)
        patching.append({"target": t_value, "scores": ((a - a_corrupt) * grad).sum(0).tolist()})

    print("worst relative error of autograd against central differences: %.2e" % worst[0])
    assert worst[0] < 1e-6, "gradients disagree with finite differences"

    expected = {
        "generator": "attribution_reference.py, torch %s, numpy %s, seed %d" % (torch.__version__, np.__version__, SEED),
        "model": "tiny-llama",
        "hook": "blocks.%d.mlp.hook_post" % HOOK_LAYER,
        "sequences": sequences,
        "stats": stats,
        "grad_x_act": grad_x_act,
        "integrated_gradients": {"steps": IG_STEPS, "baseline": 0.0, "per_sequence": integrated},
        "attribution_patching": patching,
        "finite_difference_worst_relative_error": worst[0],
    }
    with open(os.path.join(HERE, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
