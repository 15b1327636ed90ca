#!/usr/bin/env python3
"""Independent reference for training a tiny Llama-style causal LM.

Writes, next to this file:
  tiny-llama/config.json, tiny-llama/model.safetensors  (seeded random initial weights, F32)
  batches.json, hyper.json                               (the inputs of the training run)
  train_expected.json, final.safetensors                 (the float64 results, F64)

The model, the learning-rate schedule, the gradient clipping and AdamW are all written
out here from their definitions; torch.optim.AdamW, LambdaLR and clip_grad_norm_ are used
only as a second implementation that the hand-written one must agree with.

Run from this folder:  /usr/bin/python3 train_reference.py
Everything is deterministic (fixed seeds, one CPU thread, no GPU).
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

SEED = 20261201

CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "attention_bias": False,
    "attention_dropout": 0.0,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "head_dim": 4,
    "hidden_act": "silu",
    "hidden_size": 16,
    "initializer_range": 0.02,
    "intermediate_size": 32,
    "max_position_embeddings": 32,
    "mlp_bias": False,
    "model_type": "llama",
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "num_key_value_heads": 2,
    "pretraining_tp": 1,
    "rms_norm_eps": 1e-06,
    "rope_scaling": None,
    "rope_theta": 10000.0,
    "tie_word_embeddings": False,
    "torch_dtype": "float32",
    "use_cache": True,
    "vocab_size": 24,
}

HYPER = {
    "lr": 0.01,
    "betas": [0.9, 0.95],
    "eps": 1e-08,
    "weight_decay": 0.1,
    "weight_decay_applies_to": "every 2-D tensor (embedding, projections, lm_head); not the 1-D norm gains",
    "warmup_steps": 2,
    "total_steps": 6,
    "num_cycles": 0.5,
    "schedule": "get_cosine_schedule_with_warmup: k < warmup: k/warmup; else "
                "max(0, 0.5*(1+cos(pi*2*num_cycles*(k-warmup)/(total-warmup)))), k = 0,1,2,... "
                "is the index of the optimizer step (the first update uses multiplier 0)",
    "max_grad_norm": 0.5,
    "clip": "total L2 norm over all parameters; coef = max_grad_norm/(total_norm+1e-6); "
            "gradients multiplied by coef only when coef < 1",
    "loss": "mean next-token cross-entropy over all real (non-padding) target positions of the batch",
}

# Sequence lengths per step (3 sequences each, unequal). Short batches alternate with long ones
# so that, at max_grad_norm 0.5, steps 0, 2, 4 are clipped and steps 1, 3, 5 are not.
LENGTHS = [[9, 12, 6], [31, 24, 28], [12, 5, 8], [30, 32, 27], [7, 10, 11], [29, 26, 32]]

# Initial weights: N(0, std^2) for each kind of 2-D tensor; norm gains 1 + 0.1*N(0,1).
EMBED_STD = 1.0
PROJ_STD_TIMES_SQRT_FAN_IN = 0.5     # q/k/v/o/gate/up/down: std = 0.5/sqrt(in_features)
LM_HEAD_STD = 0.1
GAIN_STD = 0.1

FD_H = 1e-5          # central finite difference step
FD_RTOL = 1e-7       # relative tolerance of gradients against finite differences
AGREE_TOL = 1e-12    # hand-written vs torch implementations, float64


# --------------------------------------------------------------------------------------------
# parameters, initial weights, batches

def param_shapes(cfg):
    """Hugging Face names and shapes (out_features, in_features), in module order."""
    h, i = cfg["hidden_size"], cfg["intermediate_size"]
    hd = cfg["head_dim"]
    nq, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    shapes = [("model.embed_tokens.weight", (cfg["vocab_size"], h))]
    for layer in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        shapes += [
            (p + "input_layernorm.weight", (h,)),
            (p + "self_attn.q_proj.weight", (nq * hd, h)),
            (p + "self_attn.k_proj.weight", (nkv * hd, h)),
            (p + "self_attn.v_proj.weight", (nkv * hd, h)),
            (p + "self_attn.o_proj.weight", (h, nq * hd)),
            (p + "post_attention_layernorm.weight", (h,)),
            (p + "mlp.gate_proj.weight", (i, h)),
            (p + "mlp.up_proj.weight", (i, h)),
            (p + "mlp.down_proj.weight", (h, i)),
        ]
    shapes += [("model.norm.weight", (h,)), ("lm_head.weight", (cfg["vocab_size"], h))]
    return shapes


def initial_weights(cfg):
    """Seeded float32 weights, drawn in module order (then rounded to float32)."""
    rng = np.random.Generator(np.random.PCG64(SEED))
    weights = {}
    for name, shape in param_shapes(cfg):
        z = rng.standard_normal(shape)
        if len(shape) == 1:
            w = 1.0 + GAIN_STD * z
        elif name == "model.embed_tokens.weight":
            w = EMBED_STD * z
        elif name == "lm_head.weight":
            w = LM_HEAD_STD * z
        else:
            w = PROJ_STD_TIMES_SQRT_FAN_IN * z / math.sqrt(shape[1])
        weights[name] = w.astype(np.float32)
    return weights


def make_batches(cfg):
    """Token ids drawn uniformly from 0 .. vocab-1 (id 0 included: it is a real token here)."""
    rng = np.random.Generator(np.random.PCG64(SEED + 1))
    return [[[int(t) for t in rng.integers(0, cfg["vocab_size"], n)] for n in lengths]
            for lengths in LENGTHS]


# --------------------------------------------------------------------------------------------
# safetensors, written and read by hand

def safetensors_bytes(tensors, dtype):
    """tensors: name -> numpy array. dtype 'F32' or 'F64'. Names in sorted order."""
    np_dtype = {"F32": "<f4", "F64": "<f8"}[dtype]
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype=np_dtype).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header_json = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_json += b" " * ((8 - len(header_json) % 8) % 8)   # pad with spaces to 8 bytes
    return struct.pack("<Q", len(header_json)) + header_json + b"".join(blobs)


def parse_safetensors(raw):
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        np_dtype = {"F32": "<f4", "F64": "<f8"}[entry["dtype"]]
        a, b = entry["data_offsets"]
        out[name] = np.frombuffer(raw[base + a:base + b], dtype=np_dtype).reshape(entry["shape"])
    return out


# --------------------------------------------------------------------------------------------
# the model (Hugging Face LlamaForCausalLM, written out)

def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rope_cos_sin(cfg, seq_len, dtype):
    d = cfg["head_dim"]
    inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).to(dtype) / d))
    pos = torch.arange(seq_len, dtype=torch.int64).to(dtype)
    freqs = pos[:, None] * inv_freq[None, :]          # [T, d/2]
    emb = torch.cat([freqs, freqs], dim=-1)           # [T, d]
    return emb.cos(), emb.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def forward_logits(cfg, P, ids, lengths):
    """ids: int64 [B, T], right padded; lengths: real length of each row. Returns [B, T, V]."""
    B, T = ids.shape
    hd, nq, nkv = cfg["head_dim"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    rep = nq // nkv
    eps = cfg["rms_norm_eps"]
    dtype = P["lm_head.weight"].dtype
    cos, sin = rope_cos_sin(cfg, T, dtype)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    key_real = torch.arange(T)[None, :] < torch.tensor(lengths)[:, None]          # [B, T]
    allowed = causal[None, None, :, :] & key_real[:, None, None, :]                 # [B,1,T,T]
    h = P["model.embed_tokens.weight"][ids]                                          # [B, T, H]
    for layer in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        x = rms_norm(h, P[p + "input_layernorm.weight"], eps)
        q = (x @ P[p + "self_attn.q_proj.weight"].T).view(B, T, nq, hd).transpose(1, 2)
        k = (x @ P[p + "self_attn.k_proj.weight"].T).view(B, T, nkv, hd).transpose(1, 2)
        v = (x @ P[p + "self_attn.v_proj.weight"].T).view(B, T, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(rep, dim=1)      # kv head j serves query heads j*rep .. j*rep+rep-1
        v = v.repeat_interleave(rep, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        scores = scores.masked_fill(~allowed, float("-inf"))
        attn = torch.softmax(scores, dim=-1) @ v                                     # [B,nq,T,hd]
        attn = attn.transpose(1, 2).reshape(B, T, nq * hd)
        h = h + attn @ P[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, P[p + "post_attention_layernorm.weight"], eps)
        gate = x @ P[p + "mlp.gate_proj.weight"].T
        up = x @ P[p + "mlp.up_proj.weight"].T
        h = h + (torch.nn.functional.silu(gate) * up) @ P[p + "mlp.down_proj.weight"].T
    h = rms_norm(h, P["model.norm.weight"], eps)
    return h @ P["lm_head.weight"].T


def pad(seqs):
    T = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.int64)
    for b, s in enumerate(seqs):
        ids[b, :len(s)] = torch.tensor(s, dtype=torch.int64)
    return ids, [len(s) for s in seqs]


def batch_loss(cfg, P, seqs):
    """Sum of next-token cross-entropy over all real targets, divided by their count."""
    ids, lengths = pad(seqs)
    logits = forward_logits(cfg, P, ids, lengths)
    logp = torch.log_softmax(logits[:, :-1, :], dim=-1)
    target = ids[:, 1:]
    nll = -logp.gather(-1, target[..., None])[..., 0]                                 # [B, T-1]
    real = torch.arange(ids.shape[1] - 1)[None, :] < (torch.tensor(lengths) - 1)[:, None]
    return (nll * real).sum() / real.sum()


def per_sequence_losses(cfg, P, seqs):
    """Each sequence alone (no padding at all): its mean loss and its weight (n-1)/sum(n-1)."""
    total = sum(len(s) - 1 for s in seqs)
    rows = []
    for s in seqs:
        with torch.no_grad():
            loss = batch_loss(cfg, P, [s]).item()
        rows.append({"length": len(s), "targets": len(s) - 1, "mean_loss": loss,
                     "weight": (len(s) - 1) / total})
    return rows


def naive_logits(cfg, W, seq):
    """A second, loop-by-loop numpy float64 forward for one sequence (checks the tensor one)."""
    H, hd = cfg["hidden_size"], cfg["head_dim"]
    nq, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]
    T = len(seq)

    def norm(x, w):
        return w * x / math.sqrt(sum(e * e for e in x) / len(x) + eps)

    def rope(vec, pos):
        out = vec.copy()
        for i in range(hd // 2):
            ang = pos / theta ** (2 * i / hd)
            a, b = vec[i], vec[i + hd // 2]
            out[i] = a * math.cos(ang) - b * math.sin(ang)
            out[i + hd // 2] = b * math.cos(ang) + a * math.sin(ang)
        return out

    h = [W["model.embed_tokens.weight"][t].astype(np.float64) for t in seq]
    for layer in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        g = lambda n: W[p + n].astype(np.float64)
        xs = [norm(h[t], g("input_layernorm.weight")) for t in range(T)]
        qs = [g("self_attn.q_proj.weight") @ x for x in xs]
        ks = [g("self_attn.k_proj.weight") @ x for x in xs]
        vs = [g("self_attn.v_proj.weight") @ x for x in xs]
        new_h = []
        for t in range(T):
            heads = []
            for head in range(nq):
                kvh = head // (nq // nkv)
                qv = rope(qs[t][head * hd:(head + 1) * hd], t)
                sc = [float(qv @ rope(ks[j][kvh * hd:(kvh + 1) * hd], j)) / math.sqrt(hd)
                      for j in range(t + 1)]
                m = max(sc)
                e = [math.exp(s - m) for s in sc]
                z = sum(e)
                heads.append(sum((e[j] / z) * vs[j][kvh * hd:(kvh + 1) * hd] for j in range(t + 1)))
            a = g("self_attn.o_proj.weight") @ np.concatenate(heads)
            r = h[t] + a
            x = norm(r, g("post_attention_layernorm.weight"))
            gt = g("mlp.gate_proj.weight") @ x
            up = g("mlp.up_proj.weight") @ x
            act = gt / (1.0 + np.exp(-gt)) * up
            new_h.append(r + g("mlp.down_proj.weight") @ act)
        h = new_h
    fw = W["model.norm.weight"].astype(np.float64)
    return np.stack([W["lm_head.weight"].astype(np.float64) @ norm(x, fw) for x in h])


# --------------------------------------------------------------------------------------------
# schedule, clipping, AdamW

def lr_multiplier(k, warmup, total, num_cycles=0.5):
    if k < warmup:
        return float(k) / float(max(1, warmup))
    progress = float(k - warmup) / float(max(1, total - warmup))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))


def decays(name, shape):
    """Hand-written rule: weight decay on every 2-D tensor."""
    return len(shape) == 2


def decays_by_name(name):
    """The same rule said by name, used for the torch parameter groups: not the norm gains."""
    return not (name.endswith("layernorm.weight") or name == "model.norm.weight")


class HandAdamW:
    def __init__(self, names, hyper):
        self.h = hyper
        self.t = 0
        self.m = {}
        self.v = {}
        self.names = names

    def step(self, P, G, lr):
        b1, b2 = self.h["betas"]
        eps, wd = self.h["eps"], self.h["weight_decay"]
        self.t += 1
        bc1 = 1.0 - b1 ** self.t
        bc2 = 1.0 - b2 ** self.t
        for name in self.names:
            p, g = P[name], G[name]
            if name not in self.m:
                self.m[name] = torch.zeros_like(p)
                self.v[name] = torch.zeros_like(p)
            if decays(name, p.shape):
                p.mul_(1.0 - lr * wd)
            self.m[name] = b1 * self.m[name] + (1.0 - b1) * g
            self.v[name] = b2 * self.v[name] + (1.0 - b2) * g * g
            m_hat = self.m[name] / bc1
            denom = self.v[name].sqrt() / math.sqrt(bc2) + eps
            p.sub_(lr * m_hat / denom)


def train(cfg, init, batches, dtype, use_torch):
    """Returns (per-step records, final parameters as numpy float64)."""
    names = [n for n, _ in param_shapes(cfg)]
    P = {n: torch.tensor(init[n].astype(np.float64), dtype=dtype, requires_grad=True) for n in names}
    h = HYPER
    warm, total = h["warmup_steps"], h["total_steps"]
    sched_fn = lambda k: lr_multiplier(k, warm, total, h["num_cycles"])
    if use_torch:
        decayed = [n for n in names if decays_by_name(n)]
        if len(decayed) != 2 + 7 * cfg["num_hidden_layers"]:
            fail("expected embedding, lm_head and 7 projections per layer to decay, got %s" % decayed)
        groups = [{"params": [P[n] for n in names if decays_by_name(n)], "weight_decay": h["weight_decay"]},
                  {"params": [P[n] for n in names if not decays_by_name(n)], "weight_decay": 0.0}]
        opt = torch.optim.AdamW(groups, lr=h["lr"], betas=tuple(h["betas"]), eps=h["eps"],
                                weight_decay=h["weight_decay"])
        sched = torch.optim.lr_scheduler.LambdaLR(opt, sched_fn)
    else:
        opt = HandAdamW(names, h)
    records = []
    for k, seqs in enumerate(batches):
        seq_rows = per_sequence_losses(cfg, P, seqs)
        loss = batch_loss(cfg, P, seqs)
        if use_torch:
            opt.zero_grad(set_to_none=True)
            loss.backward()
            per_tensor = {n: P[n].grad.norm(2).item() for n in names}
            total_norm = torch.nn.utils.clip_grad_norm_([P[n] for n in names], h["max_grad_norm"]).item()
            lr = opt.param_groups[0]["lr"]
            if opt.param_groups[1]["lr"] != lr:
                fail("the two parameter groups got different learning rates")
            opt.step()
            sched.step()
        else:
            grads = torch.autograd.grad(loss, [P[n] for n in names])
            G = {n: g.detach().clone() for n, g in zip(names, grads)}
            per_tensor = {n: math.sqrt(float((G[n] * G[n]).sum())) for n in names}
            total_norm = math.sqrt(sum(float((G[n] * G[n]).sum()) for n in names))
            coef = h["max_grad_norm"] / (total_norm + 1e-6)
            if coef < 1.0:
                for n in names:
                    G[n] = G[n] * coef
            lr = h["lr"] * sched_fn(k)
            with torch.no_grad():
                opt.step(P, G, lr)
        coef = h["max_grad_norm"] / (total_norm + 1e-6)
        records.append({"step": k, "lr": lr, "lr_multiplier": sched_fn(k), "loss": loss.item(),
                        "grad_norm": total_norm, "clip_coef": coef, "clipped": coef < 1.0,
                        "grad_norm_per_tensor": per_tensor, "per_sequence": seq_rows})
    final = {n: P[n].detach().to(torch.float64).numpy().copy() for n in names}
    return records, final


# --------------------------------------------------------------------------------------------

def fail(msg):
    print("\n!!!!!!!! REFERENCE SANITY CHECK FAILED: %s !!!!!!!!\n" % msg, file=sys.stderr)
    sys.exit(1)


def max_abs(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def check_model(cfg, init, batches):
    """Tensor forward vs loop-by-loop forward; padded batch vs one sequence at a time."""
    P = {n: torch.tensor(init[n].astype(np.float64)) for n in init}
    worst_naive = worst_pad = 0.0
    for seqs in batches:
        ids, lengths = pad(seqs)
        with torch.no_grad():
            padded = forward_logits(cfg, P, ids, lengths).numpy()
            for b, s in enumerate(seqs):
                alone = forward_logits(cfg, P, torch.tensor([s]), [len(s)])[0].numpy()
                worst_pad = max(worst_pad, max_abs(padded[b, :len(s)], alone))
                worst_naive = max(worst_naive, max_abs(naive_logits(cfg, init, s), alone))
    if worst_naive > AGREE_TOL:
        fail("tensor forward and loop-by-loop forward differ by %g" % worst_naive)
    if worst_pad > AGREE_TOL:
        fail("padded batch and one-sequence-at-a-time logits differ by %g" % worst_pad)
    return worst_naive, worst_pad


FD_ENTRIES = [
    ("model.embed_tokens.weight", (None, 3)),       # None: the first token of batch 0
    ("model.layers.0.input_layernorm.weight", (5,)),
    ("model.layers.0.self_attn.q_proj.weight", (7, 2)),
    ("model.layers.0.self_attn.k_proj.weight", (3, 11)),
    ("model.layers.1.self_attn.v_proj.weight", (6, 0)),
    ("model.layers.1.self_attn.o_proj.weight", (9, 13)),
    ("model.layers.1.post_attention_layernorm.weight", (14,)),
    ("model.layers.0.mlp.gate_proj.weight", (21, 4)),
    ("model.layers.1.mlp.up_proj.weight", (30, 15)),
    ("model.layers.1.mlp.down_proj.weight", (1, 31)),
    ("model.norm.weight", (8,)),
    ("lm_head.weight", (None, 10)),                 # None: the second token of batch 0
]


def check_gradients(cfg, init, seqs):
    names = [n for n, _ in param_shapes(cfg)]
    P = {n: torch.tensor(init[n].astype(np.float64), requires_grad=True) for n in names}
    loss = batch_loss(cfg, P, seqs)
    grads = dict(zip(names, torch.autograd.grad(loss, [P[n] for n in names])))
    rows = []
    for name, idx in FD_ENTRIES:
        if idx[0] is None:
            idx = (seqs[0][0] if name.startswith("model.embed") else seqs[0][1],) + idx[1:]
        with torch.no_grad():
            Q = {n: P[n].detach().clone() for n in names}
            orig = float(Q[name][idx])
            Q[name][idx] = orig + FD_H
            up = batch_loss(cfg, Q, seqs).item()
            Q[name][idx] = orig - FD_H
            down = batch_loss(cfg, Q, seqs).item()
        fd = (up - down) / (2 * FD_H)
        an = float(grads[name][idx])
        err = abs(an - fd) / max(1e-3, abs(an))
        rows.append((name, idx, an, fd, err))
        if err > FD_RTOL:
            fail("gradient of %s%s: autograd %.12g, finite difference %.12g (rel err %.3g)"
                 % (name, list(idx), an, fd, err))
    return rows


def compare_runs(a_rec, a_fin, b_rec, b_fin):
    worst = {"lr": 0.0, "loss": 0.0, "grad_norm": 0.0, "per_tensor_norm": 0.0, "params": 0.0,
             "per_sequence_loss": 0.0, "clipped_mismatch": 0}
    for ra, rb in zip(a_rec, b_rec):
        for key in ("lr", "loss", "grad_norm"):
            worst[key] = max(worst[key], abs(ra[key] - rb[key]))
        for n in ra["grad_norm_per_tensor"]:
            worst["per_tensor_norm"] = max(worst["per_tensor_norm"],
                                           abs(ra["grad_norm_per_tensor"][n] - rb["grad_norm_per_tensor"][n]))
        for sa, sb in zip(ra["per_sequence"], rb["per_sequence"]):
            worst["per_sequence_loss"] = max(worst["per_sequence_loss"], abs(sa["mean_loss"] - sb["mean_loss"]))
        worst["clipped_mismatch"] += int(ra["clipped"] != rb["clipped"])
    for n in a_fin:
        worst["params"] = max(worst["params"], max_abs(a_fin[n], b_fin[n]))
    return worst


def check_schedule():
    """The hand-written multiplier against torch LambdaLR driving a real optimizer."""
    h = HYPER
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.AdamW([p], lr=h["lr"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: lr_multiplier(k, h["warmup_steps"], h["total_steps"], h["num_cycles"]))
    closed = []
    for k in range(h["total_steps"]):
        got = opt.param_groups[0]["lr"]
        if k < h["warmup_steps"]:
            want = h["lr"] * k / h["warmup_steps"]
        else:
            prog = (k - h["warmup_steps"]) / (h["total_steps"] - h["warmup_steps"])
            want = h["lr"] * 0.5 * (1 + math.cos(math.pi * prog))
        closed.append(want)
        if abs(got - want) > AGREE_TOL:
            fail("schedule at step %d: LambdaLR %.17g, closed form %.17g" % (k, got, want))
        p.grad = torch.zeros_like(p)
        opt.step()
        sched.step()
    if closed[0] != 0.0:
        fail("the first update must use learning rate 0")
    return closed


def check_batch_mean(records):
    """The batch loss is the token-weighted sum of the per-sequence means (not their plain mean)."""
    for r in records:
        weighted = sum(s["weight"] * s["mean_loss"] for s in r["per_sequence"])
        plain = sum(s["mean_loss"] for s in r["per_sequence"]) / len(r["per_sequence"])
        r["per_sequence_weighted_sum"] = weighted
        r["per_sequence_plain_mean"] = plain
        if abs(weighted - r["loss"]) > AGREE_TOL:
            fail("step %d: batch loss %.17g but weighted per-sequence sum %.17g" % (r["step"], r["loss"], weighted))
        if abs(plain - r["loss"]) < 1e-6:
            fail("step %d: plain mean of sequence means equals the batch loss; lengths do not discriminate"
                 % r["step"])


def write(path, data, mode="w"):
    with open(os.path.join(HERE, path), mode) as f:
        f.write(data)


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    cfg = CONFIG
    init = initial_weights(cfg)
    batches = make_batches(cfg)
    names = [n for n, _ in param_shapes(cfg)]

    init_bytes = safetensors_bytes(init, "F32")
    back = parse_safetensors(init_bytes)
    if sorted(back) != sorted(names) or any(not np.array_equal(back[n], init[n]) for n in names):
        fail("safetensors round trip of the initial weights")
    if any(np.all(init[n] == 1.0) for n in names if init[n].ndim == 1):
        fail("a norm gain is all ones")

    print("== sanity checks ==")
    worst_naive, worst_pad = check_model(cfg, init, batches)
    print("forward: tensor vs loop-by-loop max |diff| %.3g; padded vs one sequence %.3g" % (worst_naive, worst_pad))
    for name, idx, an, fd, err in check_gradients(cfg, init, batches[0]):
        print("grad %-48s %-9s autograd % .12e  fd % .12e  rel %.2e" % (name, list(idx), an, fd, err))
    check_schedule()

    rec64, fin64 = train(cfg, init, batches, torch.float64, use_torch=True)
    hand64, hfin64 = train(cfg, init, batches, torch.float64, use_torch=False)
    agree = compare_runs(rec64, fin64, hand64, hfin64)
    print("hand-written vs torch AdamW/LambdaLR/clip_grad_norm_ (float64): %s" % agree)
    if agree["clipped_mismatch"] or any(agree[k] > AGREE_TOL for k in agree if k != "clipped_mismatch"):
        fail("hand-written and torch training differ: %s" % agree)
    check_batch_mean(rec64)
    check_batch_mean(hand64)
    if not (any(r["clipped"] for r in rec64[1:]) and not all(r["clipped"] for r in rec64)):
        fail("the run should exercise both a clipped and an unclipped step")

    rec32, fin32 = train(cfg, init, batches, torch.float32, use_torch=True)
    f32 = compare_runs(rec64, fin64, rec32, fin32)
    print("float32 vs float64: %s" % f32)
    if f32["clipped_mismatch"]:
        fail("float32 and float64 disagree on clipping")
    print("== ALL REFERENCE SANITY CHECKS PASSED ==")

    os.makedirs(os.path.join(HERE, "tiny-llama"), exist_ok=True)
    write("tiny-llama/config.json", json.dumps(cfg, indent=2) + "\n")
    write("tiny-llama/model.safetensors", init_bytes, "wb")
    step_lines = ",\n".join("    [\n" + ",\n".join("      " + json.dumps(s) for s in seqs) + "\n    ]"
                            for seqs in batches)
    write("batches.json", "{\n  \"description\": %s,\n  \"steps\": [\n%s\n  ]\n}\n" % (
        json.dumps("one entry per optimizer step: 3 sequences of token ids, unequal lengths, no padding"),
        step_lines))
    if json.loads(open(os.path.join(HERE, "batches.json")).read())["steps"] != batches:
        fail("batches.json does not read back as the batches")
    hyper = dict(HYPER)
    hyper["lr_per_step"] = [r["lr"] for r in rec64]
    write("hyper.json", json.dumps(hyper, indent=2) + "\n")
    steps = []
    for r in rec64:
        steps.append({
            "step": r["step"], "lr": r["lr"], "lr_multiplier": r["lr_multiplier"], "loss": r["loss"],
            "grad_norm": r["grad_norm"], "clip_coef": r["clip_coef"], "clipped": r["clipped"],
            "per_sequence": r["per_sequence"],
            "per_sequence_weighted_sum": r["per_sequence_weighted_sum"],
            "per_sequence_plain_mean": r["per_sequence_plain_mean"],
            "grad_norm_per_tensor": r["grad_norm_per_tensor"]})
    expected = {
        "description": "float64 training of tiny-llama on batches.json with hyper.json; per step the values "
                       "before that step's update; final parameters in final.safetensors (F64)",
        "dtype": "float64",
        "steps": steps,
        "float32_vs_float64_max_abs_diff": {k: f32[k] for k in ("lr", "loss", "grad_norm", "params",
                                                                 "per_sequence_loss", "per_tensor_norm")},
        "hand_vs_torch_float64_max_abs_diff": {k: agree[k] for k in ("lr", "loss", "grad_norm", "params",
                                                                     "per_sequence_loss", "per_tensor_norm")},
    }
    P_final = {n: torch.tensor(fin64[n]) for n in names}
    with torch.no_grad():
        expected["loss_after_training"] = [batch_loss(cfg, P_final, seqs).item() for seqs in batches]
    expected["max_abs_change_of_parameters"] = max(max_abs(fin64[n], init[n]) for n in names)
    write("train_expected.json", json.dumps(expected, indent=2) + "\n")
    write("final.safetensors", safetensors_bytes(fin64, "F64"), "wb")

    print("\nstep  lr            loss                  grad_norm             clipped")
    for r in rec64:
        print("%d     %-12.10g  %.17g  %.17g  %s" % (r["step"], r["lr"], r["loss"], r["grad_norm"], r["clipped"]))


if __name__ == "__main__":
    main()
