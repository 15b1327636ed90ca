#!/usr/bin/python3
"""Independent reference for LAPE (Tang et al., ACL 2024) and the A5 language-neuron
classification (NJUNLP/Language-Neurons-Alignment), on a tiny random Llama.

Run from this folder with `/usr/bin/python3 lape_reference.py` (torch >= 1.13, numpy).
It writes tiny-llama/, languages.jsonl, languages-response.jsonl and lape_expected.json
and fails loudly (SystemExit with a message) when a sanity condition does not hold.
Everything is deterministic: fixed seeds, float32 weights, float64 forward and statistics.
See README.md for which step follows which lines of the authors' code.
"""
import json
import math
import os
import random
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "tiny-llama")

WEIGHT_SEED = 20240521
DATA_SEED = 7

LANGS = ["xa", "xb", "xc", "xd"]
SYLLABLES = ["ba", "de", "fi", "go", "hu", "ka", "lo", "mi", "nu", "pe"]
SHARED_WORDS = ["sol", "mar", "pan", "tor", "lim", "vek", "dun", "ras", "gol", "fen"]
PROMPT = "please answer the question in your own words "
PROMPT_WORDS = PROMPT.split()
UNK = "[UNK]"

HIDDEN = 32
INTER = 64
LAYERS = 2
HEADS = 4
KV_HEADS = 2
HEAD_DIM = HIDDEN // HEADS
RMS_EPS = 1e-6
ROPE_THETA = 10000.0
MAX_POS = 64
COMMON_OFFSET = 3.0   # embedding offset along one direction shared by every word
LANG_OFFSET = 3.5     # embedding offset along each language's own direction, for its own words
NEAR_ZERO_GATE = 1e-5

LAPE_TOP_RATES = [0.01, 0.05, 0.1]
FILTER_RATE = 0.95            # identify.py: filter_rate
ACTIVATION_BAR_RATIO = 0.95   # identify.py / A5 identify.py: activation_bar_ratio
SWEEP_LO, SWEEP_HI, SWEEP_EPS, SWEEP_MAX_ITERS = 0.0, 0.2, 1e-3, 64  # A5 autosweep.py
TIE_MARGIN = 1e-12


def fail(msg):
    raise SystemExit("lape_reference.py: sanity check failed: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)


# ----------------------------------------------------------------------------- vocabulary
def lang_words(lang):
    return [lang[1] + s for s in SYLLABLES]


def build_vocab():
    words = [UNK] + SHARED_WORDS + PROMPT_WORDS
    for lang in LANGS:
        words += lang_words(lang)
    check(len(set(words)) == len(words), "vocabulary words are not unique")
    return {w: i for i, w in enumerate(words)}


def tokenize(text, vocab):
    """What the WordLevel + Whitespace tokenizer.json does on lowercase words separated by spaces."""
    ids = []
    for w in text.split():
        check(w.isalpha() and w.islower(), "word %r is not lowercase letters" % w)
        ids.append(vocab.get(w, vocab[UNK]))
    return ids


# ----------------------------------------------------------------------------- data
def make_sentence(rng, lang, lo, hi):
    n = rng.randint(lo, hi)
    own = lang_words(lang)
    return " ".join(rng.choice(own) if rng.random() < 0.6 else rng.choice(SHARED_WORDS) for _ in range(n))


def build_data():
    rng = random.Random(DATA_SEED)
    plain, resp = [], []
    for lang in LANGS:
        for i in range(20):
            plain.append({"id": "%s-%02d" % (lang, i), "lang": lang, "text": make_sentence(rng, lang, 8, 16)})
    for lang in LANGS:
        for i in range(20):
            resp.append({"id": "%s-r%02d" % (lang, i), "lang": lang, "prompt": PROMPT,
                         "response": make_sentence(rng, lang, 8, 16)})
    return plain, resp


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=True) + "\n")


# ----------------------------------------------------------------------------- model weights
def build_weights(vocab):
    g = torch.Generator().manual_seed(WEIGHT_SEED)

    def randn(*shape, std=1.0):
        return (torch.randn(*shape, generator=g, dtype=torch.float64) * std)

    v = len(vocab)
    # Embeddings: a random base, a direction common to all words (so some units fire in every
    # language), and a language-specific offset direction for each language's own words.
    common = randn(HIDDEN)
    common = common / common.norm()
    lang_dirs = randn(len(LANGS), HIDDEN)
    lang_dirs = lang_dirs / lang_dirs.norm(dim=1, keepdim=True)
    emb = randn(v, HIDDEN, std=1.0) + COMMON_OFFSET * common
    for k, lang in enumerate(LANGS):
        for w in lang_words(lang):
            emb[vocab[w]] += LANG_OFFSET * lang_dirs[k]
    w = {"model.embed_tokens.weight": emb}
    for layer in range(LAYERS):
        p = "model.layers.%d." % layer
        w[p + "input_layernorm.weight"] = 1.0 + randn(HIDDEN, std=0.1)
        w[p + "self_attn.q_proj.weight"] = randn(HEADS * HEAD_DIM, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "self_attn.k_proj.weight"] = randn(KV_HEADS * HEAD_DIM, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "self_attn.v_proj.weight"] = randn(KV_HEADS * HEAD_DIM, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "self_attn.o_proj.weight"] = randn(HIDDEN, HEADS * HEAD_DIM, std=1.0 / math.sqrt(HIDDEN))
        w[p + "post_attention_layernorm.weight"] = 1.0 + randn(HIDDEN, std=0.1)
        w[p + "mlp.gate_proj.weight"] = randn(INTER, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "mlp.up_proj.weight"] = randn(INTER, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "mlp.down_proj.weight"] = randn(HIDDEN, INTER, std=1.0 / math.sqrt(INTER))
    w["model.norm.weight"] = 1.0 + randn(HIDDEN, std=0.1)
    w["lm_head.weight"] = randn(v, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
    # Stored as F32; the float64 forward uses exactly these float32 values.
    return {k: t.to(torch.float32).contiguous() for k, t in w.items()}


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = tensors[name].numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"format": "pt"}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        check(meta["dtype"] == "F32", "tensor %s is not F32" % name)
        s, e = meta["data_offsets"]
        arr = np.frombuffer(raw[8 + n + s:8 + n + e], dtype="<f4").reshape(meta["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def write_model(vocab, weights):
    os.makedirs(MODEL_DIR, exist_ok=True)
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": HIDDEN,
        "intermediate_size": INTER,
        "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS,
        "num_key_value_heads": KV_HEADS,
        "head_dim": HEAD_DIM,
        "hidden_act": "silu",
        "rms_norm_eps": RMS_EPS,
        "rope_theta": ROPE_THETA,
        "rope_scaling": None,
        "max_position_embeddings": MAX_POS,
        "vocab_size": len(vocab),
        "tie_word_embeddings": False,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "mlp_bias": False,
        "pretraining_tp": 1,
        "initializer_range": 0.02,
        "use_cache": True,
        "torch_dtype": "float32",
        "bos_token_id": None,   # the tokenizer has no special tokens; nothing is prepended or appended
        "eos_token_id": None,
        "pad_token_id": None,
    }
    with open(os.path.join(MODEL_DIR, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": UNK},
    }
    with open(os.path.join(MODEL_DIR, "tokenizer.json"), "w") as f:
        json.dump(tok, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(MODEL_DIR, "model.safetensors"), weights)


# ----------------------------------------------------------------------------- float64 Llama forward
def rms_norm(x, weight):
    var = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(var + RMS_EPS))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope(seq_len, dtype):
    inv_freq = 1.0 / (ROPE_THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.int64).to(dtype) / HEAD_DIM))
    pos = torch.arange(seq_len, dtype=torch.int64).to(dtype)
    freqs = torch.outer(pos, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def forward(weights, ids):
    """One sequence, no padding. Returns (logits [T,V], gate_pre [layers][T,I], act [layers][T,I])
    where act = SiLU(gate_proj(x)), the quantity activation.py counts (> 0)."""
    w = weights
    t = len(ids)
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    dtype = x.dtype
    cos, sin = rope(t, dtype)
    mask = torch.full((t, t), float("-inf"), dtype=dtype).triu(1)
    gates, acts = [], []
    for layer in range(LAYERS):
        p = "model.layers.%d." % layer
        h = rms_norm(x, w[p + "input_layernorm.weight"])
        q = (h @ w[p + "self_attn.q_proj.weight"].T).view(t, HEADS, HEAD_DIM).transpose(0, 1)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).view(t, KV_HEADS, HEAD_DIM).transpose(0, 1)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).view(t, KV_HEADS, HEAD_DIM).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = HEADS // KV_HEADS
        k = k.repeat_interleave(rep, dim=0)   # HF repeat_kv: query head h uses kv head h // rep
        v = v.repeat_interleave(rep, dim=0)
        scores = q @ k.transpose(1, 2) / math.sqrt(HEAD_DIM) + mask
        attn = torch.softmax(scores, dim=-1) @ v               # [H, T, D]
        attn = attn.transpose(0, 1).reshape(t, HEADS * HEAD_DIM)
        x = x + attn @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"])
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        act = torch.nn.functional.silu(gate)
        up = h @ w[p + "mlp.up_proj.weight"].T
        x = x + (act * up) @ w[p + "mlp.down_proj.weight"].T
        gates.append(gate)
        acts.append(act)
    x = rms_norm(x, w["model.norm.weight"])
    return x @ w["lm_head.weight"].T, gates, acts


def count_over_zero(weights, sequences, names, near_zero=None):
    """activation.py (both repos): over_zero[layer, unit] += (SiLU(gate) > 0) summed over tokens;
    n = number of tokens run. Gates with |gate| < NEAR_ZERO_GATE are appended to near_zero."""
    oz = np.zeros((LAYERS, INTER), dtype=np.int64)
    n = 0
    for ids, name in zip(sequences, names):
        check(0 < len(ids) <= MAX_POS, "sequence length %d outside (0, %d]" % (len(ids), MAX_POS))
        _, gates, acts = forward(weights, ids)
        for layer in range(LAYERS):
            oz[layer] += (acts[layer] > 0).sum(dim=0).numpy()
            check(torch.equal(acts[layer] > 0, gates[layer] > 0), "SiLU(gate) > 0 differs from gate > 0")
            if near_zero is not None:
                for pos, unit in (gates[layer].abs() < NEAR_ZERO_GATE).nonzero().tolist():
                    near_zero.append({"sequence": name, "position": pos, "layer": layer, "unit": unit,
                                      "gate": f(gates[layer][pos, unit])})
        n += len(ids)
    return oz, n


# ----------------------------------------------------------------------------- shared helpers
def kthvalue(flat, k):
    """torch.kthvalue(k): the k-th smallest (1-based)."""
    check(1 <= k <= flat.size, "kthvalue k=%d outside 1..%d" % (k, flat.size))
    return float(np.sort(flat, kind="stable")[k - 1])


def lowest_k(score_flat, k):
    """flattened.topk(k, largest=False): indices of the k smallest, ascending. Fails on a tie at
    the boundary (torch's order among equal values is unspecified) and returns the margin."""
    order = np.argsort(score_flat, kind="stable")
    chosen = order[:k]
    if k < score_flat.size:
        a, b = score_flat[order[k - 1]], score_flat[order[k]]
        margin = float(b - a) if np.isfinite(b) else float("inf")
        check(margin > TIE_MARGIN, "tie at the top-k boundary (k=%d): %r vs %r" % (k, a, b))
        check(np.isfinite(a), "a unit with +inf entropy would be selected (k=%d)" % k)
    else:
        margin = float("inf")
    return [int(i) for i in chosen], margin


def py_round(x):
    return int(round(x))  # Python round(): half to even, as identify.py's round(len * rate)


def unit_of(flat_index):
    return [flat_index // INTER, flat_index % INTER]


def f(x):
    x = float(x)
    check(math.isfinite(x), "non-finite value would be written as JSON")
    return x


def nested(a):
    return [[[f(v) for v in unit] for unit in layer] for layer in a] if a.ndim == 3 else [[f(v) for v in layer] for layer in a]


# ----------------------------------------------------------------------------- LAPE (RUCAIBox identify.py)
def lape(over_zero, n):
    """over_zero [L, I, K] int, n [K] int -> everything identify.py activation() computes."""
    p = over_zero / n                                     # activation_probs = over_zero / n
    check(((p >= 0) & (p <= 1)).all(), "LAPE p outside [0, 1]")
    s = p.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        normed = p / s
    normed[np.isnan(normed)] = 0                          # normed[isnan] = 0
    with np.errstate(divide="ignore"):
        logp = np.where(normed > 0, np.log(np.where(normed > 0, normed, 1.0)), 0.0)
    entropy = -np.sum(normed * logp, axis=-1)             # entropy = -sum(p' * log p')
    check(not np.isnan(entropy).any(), "LAPE entropy is NaN")
    flat = p.flatten()
    k_filter = py_round(len(flat) * FILTER_RATE)
    top_prob_value = kthvalue(flat, k_filter)
    top_position = (p > top_prob_value).sum(axis=-1)
    set_inf = top_position == 0                           # entropy[top_position == 0] = inf
    filtered = np.where(set_inf, np.inf, entropy)
    k_bar = py_round(len(flat) * ACTIVATION_BAR_RATIO)
    bar = kthvalue(flat, k_bar)
    out = {
        "activation_probs": nested(p),
        "normed_activation_probs": nested(normed),
        "entropy": nested(entropy),
        "entropy_set_to_inf": [[bool(b) for b in layer] for layer in set_inf],
        "entropy_set_to_inf_count": int(set_inf.sum()),
        "filter": {"filter_rate": FILTER_RATE, "k": k_filter, "top_prob_value": f(top_prob_value)},
        "activation_bar": {"activation_bar_ratio": ACTIVATION_BAR_RATIO, "k": k_bar, "value": f(bar)},
        "selections": {},
    }
    for rate in LAPE_TOP_RATES:
        k = py_round(filtered.size * rate)                # top_entropy_value = round(len * top_rate)
        chosen, margin = lowest_k(filtered.flatten(), k)
        check(len(chosen) == k, "selected %d units, expected round(%d * %s) = %d" % (len(chosen), filtered.size, rate, k))
        by_rank = [unit_of(i) for i in chosen]
        selected = sorted(by_rank)
        langs_of = [[LANGS[j] for j in range(len(LANGS)) if p[l, u, j] > bar] for l, u in selected]
        per_lang = {}
        for j, lang in enumerate(LANGS):
            layers = [[] for _ in range(LAYERS)]
            for l, u in selected:
                if p[l, u, j] > bar:
                    layers[l].append(u)
            per_lang[lang] = layers
        present = [j for j in range(len(LANGS)) if any(per_lang[LANGS[j]])]
        out["selections"][str(rate)] = {
            "top_rate": rate,
            "k": k,
            "selected_by_rank": by_rank,
            "selected_entropy_by_rank": [f(filtered[l, u]) for l, u in by_rank],
            "boundary_margin": margin if math.isfinite(margin) else None,
            "selected": selected,
            "languages": langs_of,
            "per_language": per_lang,
            "per_language_counts": {lang: sum(len(x) for x in per_lang[lang]) for lang in LANGS},
            "code_mask_language_count": (max(present) + 1) if present else 0,
        }
    return out


# ----------------------------------------------------------------------------- A5 (NJUNLP identify.py, analysis.py, autosweep.py)
NORM_MAX = sum(1.0 / m for m in range(1, len(LANGS) + 1)) / len(LANGS)


def a5_probs(full_oz, full_tok, pre_oz, pre_tok):
    """analysis.Neuron_Prob._load_and_build: (full - prefix).clamp_min(0) / max(full_tok - pre_tok, 1)."""
    d_tok = np.maximum(full_tok - pre_tok, 1)
    d_oz = np.maximum(full_oz - pre_oz, 0)
    return d_oz / d_tok


def a5_terms(p):
    """Per unit: the code's entropy term calc_entropy(wrap_neuron(normed)) / log(K), the paper's
    H(p') (natural log, 0 log 0 = 0) and max_k p^k."""
    K = p.shape[-1]
    s = p.sum(axis=-1, keepdims=True)
    normed = np.where(s > 0, p / np.where(s > 0, s, 1.0), 1.0 / K)   # wrap_neuron: uniform if sum <= 0
    q = np.maximum(normed, 1e-12)                                    # calc_entropy: clamp_min(eps)
    q = q / q.sum(axis=-1, keepdims=True)
    code_h = -(q * np.log(q + 1e-30)).sum(axis=-1) / np.log(K)
    with np.errstate(divide="ignore"):
        logp = np.where(normed > 0, np.log(np.where(normed > 0, normed, 1.0)), 0.0)
    paper_h = -(normed * logp).sum(axis=-1)
    return normed, code_h, paper_h, p.max(axis=-1)


def a5_code_score(code_h, maxp, lam):
    return code_h - maxp * float(lam) / NORM_MAX          # e - max_act * xlambda / norm_max


def a5_paper_score(paper_h, maxp, lam):
    return paper_h - float(lam) * maxp                    # Eq.5: -sum p' log p' - lambda max_k p^k


def a5_identify(p, score, top_rate):
    """identify.ActivationAnalyzer.run after the score + Neuron_Mask.appear_distribution."""
    K = p.shape[-1]
    k = py_round(score.size * top_rate)
    chosen, margin = lowest_k(score.flatten(), k)
    check(len(chosen) == k, "A5 selected %d units, expected %d" % (len(chosen), k))
    thr = kthvalue(p.flatten(), py_round(p.size * ACTIVATION_BAR_RATIO))
    by_rank = [unit_of(i) for i in chosen]
    selected = sorted(by_rank)
    units = []
    appear = [0] * (K + 1)
    for l, u in selected:
        langs = [LANGS[j] for j in range(K) if p[l, u, j] > thr]
        n_langs = len(langs)
        if n_langs >= 1:
            appear[n_langs] += 1     # appear_distribution counts units present in >= 1 language mask
        cls = "none" if n_langs == 0 else "specific" if n_langs == 1 else "general" if n_langs == K else "related"
        units.append({"layer": l, "unit": u, "score": f(score[l, u]), "languages": langs, "N": n_langs, "class": cls})
    return {"k": k, "threshold": thr, "selected_by_rank": by_rank, "boundary_margin": margin if math.isfinite(margin) else None,
            "units": units, "appear": appear}


def a5_sweep(p, score_fn, top_rate):
    """autosweep.autosweep_lambda with ok(appear) = appear[K] == 0 (the code hard-codes K = 10)."""
    K = p.shape[-1]
    trace = []

    def run_once(lam):
        res = a5_identify(p, score_fn(lam), top_rate)
        trace.append({"lambda": f(lam), "appear": res["appear"], "boundary_margin": res["boundary_margin"]})
        return res["appear"]

    def ok(appear):
        return len(appear) > K and appear[K] == 0

    appear_lo = run_once(SWEEP_LO)
    appear_hi = run_once(SWEEP_HI)
    best = None
    if ok(appear_lo):
        best = SWEEP_LO
    if ok(appear_hi):
        best = SWEEP_HI
    lo, hi, it = SWEEP_LO, SWEEP_HI, 0
    while (hi - lo) > SWEEP_EPS and it < SWEEP_MAX_ITERS:
        it += 1
        mid = (lo + hi) / 2.0
        if ok(run_once(mid)):
            best, lo = mid, mid
        else:
            hi = mid
    return best, trace


def a5(p):
    normed, code_h, paper_h, maxp = a5_terms(p)
    flat = p.flatten()
    k_thr = py_round(flat.size * ACTIVATION_BAR_RATIO)
    out = {
        "activation_probs": nested(p),
        "normed_activation_probs": nested(normed),
        "code_entropy_term": nested(code_h),
        "paper_entropy": nested(paper_h),
        "max_prob": nested(maxp),
        "all_zero_units": int((p.sum(axis=-1) == 0).sum()),
        "norm_max": f(NORM_MAX),
        "threshold": {"activation_bar_ratio": ACTIVATION_BAR_RATIO, "k": k_thr, "value": f(kthvalue(flat, k_thr))},
        "sweep": {"lo": SWEEP_LO, "hi": SWEEP_HI, "eps": SWEEP_EPS, "max_iters": SWEEP_MAX_ITERS,
                  "criterion": "largest lambda (as the bisection finds it) with appear[K] == 0, K = %d" % len(LANGS)},
        "code": {},
        "paper_eq5": {},
    }
    variants = {
        "code": lambda lam: a5_code_score(code_h, maxp, lam),
        "paper_eq5": lambda lam: a5_paper_score(paper_h, maxp, lam),
    }
    for key, fn in variants.items():
        for rate in LAPE_TOP_RATES:
            lam, trace = a5_sweep(p, fn, rate)
            entry = {"top_rate": rate, "lambda": None if lam is None else f(lam), "trace": trace}
            if lam is not None:
                res = a5_identify(p, fn(lam), rate)
                check(res["appear"][len(LANGS)] == 0, "chosen lambda leaves a general unit selected")
                entry.update({
                    "k": res["k"],
                    "score": nested(fn(lam)),
                    "selected_by_rank": res["selected_by_rank"],
                    "boundary_margin": res["boundary_margin"],
                    "units": res["units"],
                    "appear": res["appear"],
                    "class_counts": {c: sum(1 for u in res["units"] if u["class"] == c)
                                     for c in ["specific", "related", "general", "none"]},
                })
            out[key][str(rate)] = entry
    # The code's literal criterion: ok() = len(appear) > 10 and appear[10] == 0, never true for K = 4.
    out["code_literal_appear10"] = {"lambda": None, "reason": "len(appear) = K + 1 = %d <= 10" % (len(LANGS) + 1)}
    return out


# ----------------------------------------------------------------------------- float32 torch cross-check
def torch_lape_selection(over_zero, n, top_rate):
    """identify.py activation() restated with torch float32 tensors (over_zero / n is float32 there):
    {language: sorted [(layer, unit)]} plus the bar."""
    oz = torch.tensor(over_zero, dtype=torch.int32)
    p = oz / torch.tensor(n)
    check(p.dtype == torch.float32, "torch over_zero / n is not float32")
    normed = p / p.sum(dim=-1, keepdim=True)
    normed[torch.isnan(normed)] = 0
    logp = torch.where(normed > 0, normed.log(), torch.zeros_like(normed))
    entropy = -torch.sum(normed * logp, dim=-1)
    flat = p.flatten()
    top = flat.kthvalue(round(len(flat) * FILTER_RATE)).values.item()
    entropy[(p > top).sum(dim=-1) == 0] = torch.inf
    _, index = entropy.flatten().topk(round(entropy.numel() * top_rate), largest=False)
    rows, cols = index // entropy.size(1), index % entropy.size(1)
    bar = flat.kthvalue(round(len(flat) * ACTIVATION_BAR_RATIO)).values.item()
    sel = p[rows, cols]
    return {LANGS[j]: sorted((int(r), int(c)) for r, c, v in zip(rows, cols, sel[:, j]) if v > bar)
            for j in range(len(LANGS))}, bar


def torch_a5_selection(p64, lam, top_rate):
    """A5 identify.ActivationAnalyzer.run restated with torch float32 (act and entropy are float32 there)."""
    p = torch.tensor(p64, dtype=torch.float32)
    K = p.shape[-1]
    norm_max = sum(1 / m for m in range(1, K + 1)) / K
    score = torch.zeros(p.shape[:2])
    for l in range(p.shape[0]):
        for u in range(p.shape[1]):
            v = p[l, u]
            s = v.sum()
            q = torch.full_like(v, 1.0 / v.numel()) if s <= 0 else v / s
            q = q.clamp_min(1e-12)
            q = q / q.sum()
            e = float(-(q * (q + 1e-30).log()).sum().item()) / np.log(K)
            score[l, u] = e - v.max().item() * float(lam) / norm_max
    _, idx = score.flatten().topk(round(score.numel() * top_rate), largest=False)
    thr = p.flatten().kthvalue(round(p.numel() * ACTIVATION_BAR_RATIO)).values.item()
    return sorted((int(i) // p.shape[1], int(i) % p.shape[1]) for i in idx), thr


def cross_check_float32(oz_lape, n, lape_out, p5, a5_out):
    for rate in LAPE_TOP_RATES:
        per_lang, bar = torch_lape_selection(oz_lape, n, rate)
        mine = lape_out["selections"][str(rate)]["per_language"]
        for lang in LANGS:
            ours = sorted((l, u) for l in range(LAYERS) for u in mine[lang][l])
            check(per_lang[lang] == ours, "float32 torch LAPE differs for %s at top_rate %s" % (lang, rate))
        check(abs(bar - lape_out["activation_bar"]["value"]) < 1e-6, "float32 LAPE bar differs")
        entry = a5_out["code"][str(rate)]
        if entry["lambda"] is not None:
            sel, thr = torch_a5_selection(p5, entry["lambda"], rate)
            check(sel == sorted((u["layer"], u["unit"]) for u in entry["units"]),
                  "float32 torch A5 selection differs at top_rate %s" % rate)
            check(abs(thr - a5_out["threshold"]["value"]) < 1e-6, "float32 A5 threshold differs")


# ----------------------------------------------------------------------------- main
def main():
    vocab = build_vocab()
    plain, resp = build_data()
    write_jsonl(os.path.join(HERE, "languages.jsonl"), plain)
    write_jsonl(os.path.join(HERE, "languages-response.jsonl"), resp)
    weights = build_weights(vocab)
    write_model(vocab, weights)
    loaded = read_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
    check(set(loaded) == set(weights) and all(torch.equal(loaded[k], weights[k]) for k in weights),
          "safetensors round trip differs")
    w64 = {k: t.to(torch.float64) for k, t in loaded.items()}

    w32 = {k: t.clone() for k, t in loaded.items()}
    near_zero = []

    def counts(seqs, names):
        """float64 counts, plus whether an eager float32 forward gives the same counts."""
        oz, cnt = count_over_zero(w64, seqs, names, near_zero)
        oz32, _ = count_over_zero(w32, seqs, names)
        return oz, cnt, int((oz != oz32).sum())

    float32_differences = 0
    # LAPE on languages.jsonl: one example = one sequence (no padding, no concatenation).
    over_zero, n = [], []
    for lang in LANGS:
        rows = [r for r in plain if r["lang"] == lang]
        seqs = [tokenize(r["text"], vocab) for r in rows]
        oz, cnt, d32 = counts(seqs, ["languages.jsonl:" + r["id"] for r in rows])
        check(cnt == sum(len(s) for s in seqs) == sum(len(r["text"].split()) for r in rows), "token count for %s" % lang)
        check((oz >= 0).all() and (oz <= cnt).all(), "over_zero outside [0, n] for %s" % lang)
        over_zero.append(oz)
        n.append(cnt)
        float32_differences += d32
    oz_lape = np.stack(over_zero, axis=-1)
    lape_out = lape(oz_lape, np.array(n, dtype=np.int64))

    # A5 on languages-response.jsonl: full = prompt + response, prefix = prompt only.
    full_oz, full_tok, pre_oz, pre_tok = [], [], [], []
    for lang in LANGS:
        rows = [r for r in resp if r["lang"] == lang]
        check(all(r["prompt"].endswith(" ") for r in rows), "prompt must end with a space")
        full = [tokenize(r["prompt"] + r["response"], vocab) for r in rows]
        pre = [tokenize(r["prompt"], vocab) for r in rows]
        for fs, ps, r in zip(full, pre, rows):
            check(fs[:len(ps)] == ps and len(fs) == len(ps) + len(r["response"].split()), "prompt is not a token prefix")
        a, ta, da = counts(full, ["languages-response.jsonl:%s:full" % r["id"] for r in rows])
        b, tb, db = counts(pre, ["languages-response.jsonl:%s:prompt" % r["id"] for r in rows])
        check(ta == sum(map(len, full)) and tb == sum(map(len, pre)), "A5 token counts for %s" % lang)
        check((a <= ta).all() and (b <= tb).all(), "A5 over_zero exceeds its token count for %s" % lang)
        full_oz.append(a); full_tok.append(ta); pre_oz.append(b); pre_tok.append(tb)
        float32_differences += da + db
    full_oz = np.stack(full_oz, axis=-1); pre_oz = np.stack(pre_oz, axis=-1)
    full_tok = np.array(full_tok, dtype=np.int64); pre_tok = np.array(pre_tok, dtype=np.int64)
    check((full_oz >= pre_oz).all(), "a prefix count exceeds its full-sequence count (causality broken)")
    check(((full_oz - pre_oz) <= (full_tok - pre_tok)).all(), "a response count exceeds the response tokens")
    p5 = a5_probs(full_oz, full_tok, pre_oz, pre_tok)
    check(((p5 >= 0) & (p5 <= 1)).all(), "A5 p outside [0, 1]")
    a5_out = a5(p5)
    cross_check_float32(oz_lape, n, lape_out, p5, a5_out)

    expected = {
        "generator": "lape_reference.py",
        "languages": LANGS,
        "num_layers": LAYERS,
        "intermediate_size": INTER,
        "layout": "arrays are [layer][unit] or [layer][unit][language], languages in the order of 'languages'",
        "near_zero_gate_threshold": NEAR_ZERO_GATE,
        "near_zero_gates": near_zero,
        "float32_forward_count_differences": float32_differences,
        "lape": {
            "source": "languages.jsonl",
            "token_counts": {lang: int(c) for lang, c in zip(LANGS, n)},
            "over_zero": oz_lape.tolist(),
            **lape_out,
        },
        "a5": {
            "source": "languages-response.jsonl",
            "token_counts": {lang: {"full": int(a), "prefix": int(b), "response": int(a - b)}
                             for lang, a, b in zip(LANGS, full_tok, pre_tok)},
            "over_zero_full": full_oz.tolist(),
            "over_zero_prefix": pre_oz.tolist(),
            **a5_out,
        },
    }
    with open(os.path.join(HERE, "lape_expected.json"), "w") as fh:
        json.dump(expected, fh, indent=1, allow_nan=False)
        fh.write("\n")
    summary(expected)


def summary(e):
    la = e["lape"]
    print("LAPE tokens", la["token_counts"], "bar", la["activation_bar"]["value"], "inf-filtered", la["entropy_set_to_inf_count"])
    for r, s in la["selections"].items():
        print("  LAPE top_rate", r, "k", s["k"], "per-language", s["per_language_counts"], "margin", s["boundary_margin"])
    a = e["a5"]
    print("A5 tokens", a["token_counts"], "threshold", a["threshold"]["value"])
    for key in ["code", "paper_eq5"]:
        for r, s in a[key].items():
            print("  A5", key, "top_rate", r, "lambda", s["lambda"], "classes", s.get("class_counts"), "appear", s.get("appear"))
    print("near-zero gates", e["near_zero_gates"], "float32 count differences", e["float32_forward_count_differences"])
    margins = [t["boundary_margin"] for key in ["code", "paper_eq5"] for s in a[key].values() for t in s["trace"]
               if t["boundary_margin"] is not None]
    print("smallest top-k boundary margin in the sweeps", min(margins))


if __name__ == "__main__":
    main()
