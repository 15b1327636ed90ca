#!/usr/bin/python3
"""Independent float64 reference for CULNIG (Yamamoto et al., ICLR 2026; METHODS.md A1).

Run from this folder with /usr/bin/python3 (torch 1.13, numpy); it rewrites, deterministically:
  tiny-llama/{config.json, model.safetensors, tokenizer.json}
  blend.jsonl, blend-control.jsonl, countryrc.jsonl
  culnig_samples.json   (per-sample p_i and s_i(n))
  culnig_expected.json  (sums, S(n), S_c(n), selections, evaluation)
and stops with an AssertionError if a sanity check fails.

Every step names the function of the authors' code (ynklab/CULNIG) whose behaviour it follows;
the text of that code is not reproduced here. See README.md.
"""
import json
import math
import os
import random
import re
import struct

import torch

torch.set_grad_enabled(True)
HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "tiny-llama")

# ----------------------------------------------------------------------------------------------
# 1. Vocabulary and datasets
# ----------------------------------------------------------------------------------------------
COUNTRIES = ["ca", "cb", "cc"]                       # the `country` field
COUNTRY_NAME = {"ca": "avaria", "cb": "belmor", "cc": "corvan"}   # one token each
LETTERS = ["a", "b", "c", "d"]
ANSWER_PREFIX = "answer"                             # stands for {"answer_choice":" of the code

OPTION_SETS = {
    "food": ["rice", "bread", "noodles", "soup"],
    "sport": ["football", "cricket", "hockey", "tennis"],
    "drink": ["tea", "coffee", "milk", "juice"],
    "time": ["early", "late", "noon", "night"],
    "sweet": ["cake", "fruit", "candy", "pie"],
}
# (question with {c} for the country name, option set); no question word is one of a/b/c/d
BLEND_QUESTIONS = [
    ("what food do people in {c} eat", "food"),
    ("what sport do people in {c} play", "sport"),
    ("what do people in {c} drink", "drink"),
    ("when do people in {c} start work", "time"),
    ("what do children in {c} eat at school", "food"),
    ("which sport is most popular in {c}", "sport"),
    ("what do children in {c} drink at school", "drink"),
    ("when do people in {c} eat", "time"),
    ("what sweet do people in {c} eat", "sweet"),
    ("what food is most popular in {c}", "food"),
    ("which sport do children in {c} play at school", "sport"),
    ("which sweet is most popular in {c}", "sweet"),
]
CONTROL_WORDS = "choose one of the options"
COUNTRYRC_PASSAGES = [
    "the story is in {c} where is the story",
    "maria lives in {c} where does maria live",
    "the festival is in {c} where is the festival",
    "tom works in {c} where does tom work",
    "the team is from {c} where is the team from",
    "the city is in {c} which country is the city in",
    "maria was born in {c} where was maria born",
    "the children play in {c} where do the children play",
]
COUNTRYRC_CHOOSE = "choose from"
DATA_SEED = 1234


def build_datasets():
    rng = random.Random(DATA_SEED)
    blend, control, crc = [], [], []
    for country in COUNTRIES:
        for qi, (question, oset) in enumerate(BLEND_QUESTIONS):
            options = list(OPTION_SETS[oset])
            rng.shuffle(options)
            gold = LETTERS[rng.randrange(4)]
            opts = " ".join(f"{l} {o}" for l, o in zip(LETTERS, options))
            rid = f"blend-{country}-{qi:02d}"
            q = question.format(c=COUNTRY_NAME[country])
            blend.append({"id": rid, "country": country, "prompt": f"{q} {opts} {ANSWER_PREFIX}",
                          "choices": list(LETTERS), "answer": gold})
            control.append({"id": rid + "-control", "country": country,
                            "prompt": f"{CONTROL_WORDS} {opts} {ANSWER_PREFIX}",
                            "choices": list(LETTERS), "answer": gold})
        for pi, passage in enumerate(COUNTRYRC_PASSAGES):
            names = [COUNTRY_NAME[c] for c in COUNTRIES]
            rng.shuffle(names)
            crc.append({"id": f"countryrc-{country}-{pi:02d}", "country": country,
                        "prompt": f"{passage.format(c=COUNTRY_NAME[country])} {COUNTRYRC_CHOOSE} "
                                  f"{' '.join(names)} {ANSWER_PREFIX}",
                        "choices": names, "answer": COUNTRY_NAME[country]})
    return {"blend": blend, "blendcontrol": control, "countryrc": crc}


def build_vocab(datasets):
    words = []
    for rows in datasets.values():
        for r in rows:
            for w in r["prompt"].split(" ") + r["choices"] + [r["answer"]]:
                if w not in words:
                    words.append(w)
    words.sort()
    vocab = {"[UNK]": 0}
    for w in words:
        vocab[w] = len(vocab)
    return vocab


WORD_TEXT = re.compile(r"^[a-z]+( [a-z]+)*$")


def tokenize(vocab, text):
    # WordLevel + Whitespace pre-tokenizer on lowercase words separated by single spaces
    assert WORD_TEXT.match(text), f"prompt is not lowercase words separated by single spaces: {text!r}"
    ids = [vocab.get(w, 0) for w in text.split(" ")]
    assert 0 not in ids, f"unknown word in {text!r}"
    return ids


# ----------------------------------------------------------------------------------------------
# 2. Tiny Llama: config, seeded weights, safetensors writer/reader, tokenizer.json
# ----------------------------------------------------------------------------------------------
HIDDEN, INTER, LAYERS, HEADS, KV_HEADS = 32, 64, 2, 4, 2
HEAD_DIM = HIDDEN // HEADS
EPS, THETA, MAX_POS = 1e-6, 10000.0, 64
WEIGHT_SEED = 20260101
LABEL_BOOST = 1.6      # weight of the mean-hidden-state direction added to the answer tokens' lm_head rows


def config_json(vocab_size):
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": HIDDEN, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM,
        "hidden_act": "silu", "rms_norm_eps": EPS, "rope_theta": THETA, "rope_scaling": None,
        "max_position_embeddings": MAX_POS, "vocab_size": vocab_size, "tie_word_embeddings": False,
        "attention_bias": False, "attention_dropout": 0.0, "mlp_bias": False, "pretraining_tp": 1,
        "initializer_range": 0.02, "use_cache": True, "torch_dtype": "float32",
        "bos_token_id": None, "eos_token_id": None, "pad_token_id": None,
    }


def init_weights(vocab_size):
    g = torch.Generator().manual_seed(WEIGHT_SEED)

    def randn(*shape, std):
        return (torch.randn(*shape, generator=g, dtype=torch.float32) * std).contiguous()

    w = {"model.embed_tokens.weight": randn(vocab_size, HIDDEN, std=1.0)}
    for L in range(LAYERS):
        p = f"model.layers.{L}."
        w[p + "input_layernorm.weight"] = 1.0 + randn(HIDDEN, std=0.1)
        w[p + "self_attn.q_proj.weight"] = randn(HEADS * HEAD_DIM, HIDDEN, std=1.5 / math.sqrt(HIDDEN))
        w[p + "self_attn.k_proj.weight"] = randn(KV_HEADS * HEAD_DIM, HIDDEN, std=1.5 / math.sqrt(HIDDEN))
        w[p + "self_attn.v_proj.weight"] = randn(KV_HEADS * HEAD_DIM, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "self_attn.o_proj.weight"] = randn(HIDDEN, HEADS * HEAD_DIM, std=1.0 / math.sqrt(HIDDEN))
        w[p + "post_attention_layernorm.weight"] = 1.0 + randn(HIDDEN, std=0.1)
        w[p + "mlp.gate_proj.weight"] = randn(INTER, HIDDEN, std=1.5 / math.sqrt(HIDDEN))
        w[p + "mlp.up_proj.weight"] = randn(INTER, HIDDEN, std=1.0 / math.sqrt(HIDDEN))
        w[p + "mlp.down_proj.weight"] = randn(HIDDEN, INTER, std=1.0 / math.sqrt(INTER))
    w["model.norm.weight"] = 1.0 + randn(HIDDEN, std=0.1)
    w["lm_head.weight"] = randn(vocab_size, HIDDEN, std=2.0 / math.sqrt(HIDDEN))
    return w


def write_safetensors(path, tensors):
    names = sorted(tensors)
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for n in names:
        t = tensors[n]
        assert t.dtype == torch.float32 and t.is_contiguous()
        data = t.numpy().astype("<f4").tobytes()
        header[n] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((8 - len(hbytes) % 8) % 8)          # pad the header to 8 bytes, as HF does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        raw = f.read()
    (hlen,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + hlen].decode("utf-8"))
    base = 8 + hlen
    out = {}
    for n, meta in header.items():
        if n == "__metadata__":
            continue
        assert meta["dtype"] == "F32"
        s, e = meta["data_offsets"]
        arr = np.frombuffer(raw[base + s:base + e], dtype="<f4").reshape(meta["shape"])
        out[n] = torch.from_numpy(arr.copy())
    return out


def tokenizer_json(vocab):
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
        "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None,
        "decoder": None, "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }


# ----------------------------------------------------------------------------------------------
# 3. Float64 Llama forward (after HF LlamaForCausalLM, eager attention), with named sites
# ----------------------------------------------------------------------------------------------
# Site order = the order in which HF's forward calls the modules inside one decoder layer, which is
# the order the code's activation dict (and so its score keys) is filled: q, k, v, gate, up.
SITES = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "mlp.gate_proj", "mlp.up_proj"]
WIDTH = {"self_attn.q_proj": HEADS * HEAD_DIM, "self_attn.k_proj": KV_HEADS * HEAD_DIM,
         "self_attn.v_proj": KV_HEADS * HEAD_DIM, "mlp.gate_proj": INTER, "mlp.up_proj": INTER}


def rms_norm(x, w):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rotary(T):
    inv_freq = 1.0 / (THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.float64) / HEAD_DIM))
    freqs = torch.arange(T, dtype=torch.float64)[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def forward(W, ids, edits=None, capture=None):
    """W: float64 weights; ids: list of token ids (one sequence, no padding).
    edits: {(site, layer): [op, ...]}, op = ("suppress", idx) | ("enhance", idx) | ("add", t, n, delta),
           applied to the site's output, as the code's forward hook manipulate_neuron does.
    capture: dict filled with {(site, layer): output tensor [T, C]} with retain_grad().
    Returns logits [T, V]."""
    edits = edits or {}
    T = len(ids)
    x = W["model.embed_tokens.weight"][torch.tensor(ids)]
    if capture is not None:
        x.requires_grad_(True)       # weights are constants here; this makes every site differentiable
    cos, sin = rotary(T)
    causal = torch.full((T, T), float("-inf"), dtype=torch.float64).triu(1)

    def site(name, layer, inp):
        out = inp @ W[f"model.layers.{layer}.{name}.weight"].T
        ops = edits.get((name, layer), [])
        if ops:
            out = out.clone()
            for op in ops:
                if op[0] == "suppress":
                    out[:, op[1]] = 0.0
                elif op[0] == "enhance":
                    out[:, op[1]] = out[:, op[1]] * 2.0
                elif op[0] == "add":
                    out[op[1], op[2]] = out[op[1], op[2]] + op[3]
                else:
                    raise ValueError(op)
        if capture is not None:
            out.retain_grad()
            capture[(name, layer)] = out
        return out

    for L in range(LAYERS):
        p = f"model.layers.{L}."
        h = rms_norm(x, W[p + "input_layernorm.weight"])
        q = site("self_attn.q_proj", L, h).view(T, HEADS, HEAD_DIM).transpose(0, 1)
        k = site("self_attn.k_proj", L, h).view(T, KV_HEADS, HEAD_DIM).transpose(0, 1)
        v = site("self_attn.v_proj", L, h).view(T, KV_HEADS, HEAD_DIM).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = HEADS // KV_HEADS                      # repeat_kv: query head j uses kv head j // rep
        k = k.repeat_interleave(rep, dim=0)
        v = v.repeat_interleave(rep, dim=0)
        att = (q @ k.transpose(1, 2)) / math.sqrt(HEAD_DIM) + causal
        att = torch.softmax(att, dim=-1)
        o = (att @ v).transpose(0, 1).reshape(T, HEADS * HEAD_DIM)
        x = x + o @ W[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"])
        gate = site("mlp.gate_proj", L, h)
        up = site("mlp.up_proj", L, h)
        x = x + (torch.nn.functional.silu(gate) * up) @ W[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, W["model.norm.weight"])
    return x @ W["lm_head.weight"].T


def naive_last_logits(W, ids):
    """A second, loop-based forward (explicit pair rotation (i, i + d/2), explicit kv-head index, explicit
    causal sum) used only to check `forward`."""
    T, rep, half = len(ids), HEADS // KV_HEADS, HEAD_DIM // 2
    x = [W["model.embed_tokens.weight"][i].clone() for i in ids]

    def norm(v, w):
        return w * v / math.sqrt(float((v * v).mean()) + EPS)

    def rope(vec, pos):
        out = vec.clone()
        for i in range(half):
            ang = pos / (THETA ** (2 * i / HEAD_DIM))
            c, s_ = math.cos(ang), math.sin(ang)
            out[i] = vec[i] * c - vec[i + half] * s_
            out[i + half] = vec[i + half] * c + vec[i] * s_
        return out

    for L in range(LAYERS):
        p = f"model.layers.{L}."
        hs = [norm(v, W[p + "input_layernorm.weight"]) for v in x]
        qs = [W[p + "self_attn.q_proj.weight"] @ h for h in hs]
        ks = [W[p + "self_attn.k_proj.weight"] @ h for h in hs]
        vs = [W[p + "self_attn.v_proj.weight"] @ h for h in hs]
        new_x = []
        for t in range(T):
            heads = []
            for j in range(HEADS):
                kv = j // rep
                qv = rope(qs[t][j * HEAD_DIM:(j + 1) * HEAD_DIM], t)
                logits = [float(qv @ rope(ks[u][kv * HEAD_DIM:(kv + 1) * HEAD_DIM], u)) / math.sqrt(HEAD_DIM)
                          for u in range(t + 1)]
                m = max(logits)
                e = [math.exp(l - m) for l in logits]
                z = sum(e)
                heads.append(sum((e[u] / z) * vs[u][kv * HEAD_DIM:(kv + 1) * HEAD_DIM] for u in range(t + 1)))
            y = x[t] + W[p + "self_attn.o_proj.weight"] @ torch.cat(heads)
            h2 = norm(y, W[p + "post_attention_layernorm.weight"])
            g = W[p + "mlp.gate_proj.weight"] @ h2
            act = g / (1.0 + torch.exp(-g))
            new_x.append(y + W[p + "mlp.down_proj.weight"] @ (act * (W[p + "mlp.up_proj.weight"] @ h2)))
        x = new_x
    return W["lm_head.weight"] @ norm(x[-1], W["model.norm.weight"])


# ----------------------------------------------------------------------------------------------
# 4. Scores, after calc_neuron_score.calculate_scores
# ----------------------------------------------------------------------------------------------
def sample_scores(W, ids, label_id, control):
    """p = softmax(last logits)[label]; backprop p itself (the code backprops the batch sum of p);
    s(n) = p * max over ALL positions t of a[t,n]*dp/da[t,n] (no padding here, so no masking);
    control rows: max(0, s)."""
    cap = {}
    logits = forward(W, ids, capture=cap)
    p = torch.softmax(logits[-1], dim=-1)[label_id]
    p.backward()
    pv = p.item()
    out = {}
    for s in SITES:
        per_layer = []
        for L in range(LAYERS):
            a = cap[(s, L)]
            sc = (a * a.grad).max(dim=0).values * pv
            if control:
                sc = sc.clamp(min=0.0)
            per_layer.append(sc.detach())
        out[s] = torch.stack(per_layer)          # [L, C]
    return pv, out, cap


def grad_check(W, ids, label_id, cap, probes, eps=1e-5):
    worst = 0.0
    for (s, L, t, n) in probes:
        g = cap[(s, L)].grad[t, n].item()
        with torch.no_grad():
            pp = torch.softmax(forward(W, ids, edits={(s, L): [("add", t, n, eps)]})[-1], -1)[label_id].item()
            pm = torch.softmax(forward(W, ids, edits={(s, L): [("add", t, n, -eps)]})[-1], -1)[label_id].item()
        fd = (pp - pm) / (2 * eps)
        err = abs(fd - g) / max(1e-8, abs(g), abs(fd))
        worst = max(worst, err)
        assert err < 1e-5 or abs(fd - g) < 1e-10, f"gradient check failed at {s} L{L} t{t} n{n}: autograd {g} vs fd {fd}"
    return worst


# ----------------------------------------------------------------------------------------------
# 5. Selection, after decide_culture_general_neurons.main and decide_culture_specific_neuron.main
# ----------------------------------------------------------------------------------------------
def unit_order():
    """The code's key order: layer-major, sites in forward order (q, k, v, gate, up), channel index."""
    return [(s, L, n) for L in range(LAYERS) for s in SITES for n in range(WIDTH[s])]


def ranked(keys, score):
    """sorted(..., key=score, reverse=True) in Python is stable: ties keep the key order."""
    pos = {k: i for i, k in enumerate(unit_order())}
    return sorted(keys, key=lambda k: (-score[k], pos[k]))


def count(n, rate):
    return int(n * rate)        # the code's rounding: int() of the product, i.e. truncation


def unit(k, score=None):
    d = {"module": k[0], "layer": k[1], "index": k[2]}
    if score is not None:
        d["score"] = score
    return d


def layer_major(d, sites):
    return {s: [[d[(s, L, n)] for n in range(WIDTH[s])] for L in range(LAYERS)] for s in sites}


MLP_FAMILY = ["mlp.gate_proj"]
ATTN_FAMILY = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"]
GENERAL_CONFIGS = [  # name, mlp rate, attention rate, CountryRC mlp rate, CountryRC attention rate
    ("code", 0.01, 0.002, 0.01, 0.01),
    ("rate05", 0.05, 0.05, 0.05, 0.05),
    ("rate10", 0.1, 0.1, 0.1, 0.1),
]
SPECIFIC_CONFIGS = [  # name, pooled rate, CountryRC pooled rate
    ("code", 0.003, 0.01),
    ("rate05", 0.05, 0.05),
    ("rate10", 0.1, 0.1),
]
Z_THRESHOLD = 0.5


def select_general(S, crc_total, cfg):
    name, mr, ar, cmr, car = cfg
    keys = [k for k in unit_order() if k[0] in MLP_FAMILY + ATTN_FAMILY]
    mk = [k for k in keys if k[0] in MLP_FAMILY]
    ak = [k for k in keys if k[0] in ATTN_FAMILY]
    m_sel = ranked(mk, S)[:count(len(mk), mr)]
    a_sel = ranked(ak, S)[:count(len(ak), ar)]
    before = m_sel + a_sel                                  # MLP first, then attention, as the code
    m_crc = ranked(mk, crc_total)[:count(len(mk), cmr)]
    a_crc = ranked(ak, crc_total)[:count(len(ak), car)]
    excl = set(m_crc) | set(a_crc)
    after = [k for k in before if k not in excl]
    return {
        "name": name, "mlp_rate": mr, "attention_rate": ar,
        "countryrc_mlp_rate": cmr, "countryrc_attention_rate": car,
        "counts": {"mlp_pool": len(mk), "attention_pool": len(ak),
                   "mlp_selected": len(m_sel), "attention_selected": len(a_sel),
                   "countryrc_mlp": len(m_crc), "countryrc_attention": len(a_crc),
                   "after_exclusion": len(after)},
        "selected_before_exclusion": [unit(k, S[k]) for k in before],
        "countryrc_top": [unit(k, crc_total[k]) for k in m_crc + a_crc],
        "excluded": [unit(k) for k in before if k in excl],
        "selected": [unit(k, S[k]) for k in after],
    }


def select_specific(Sc, crc_by_country, cfg):
    name, rate, crc_rate = cfg
    keys = [k for k in unit_order() if k[0] in MLP_FAMILY + ATTN_FAMILY]   # gate and q/k/v pooled
    res = {"name": name, "rate": rate, "countryrc_rate": crc_rate, "z_threshold": Z_THRESHOLD,
           "per_country": {}}
    for c in COUNTRIES:
        sc = {k: Sc[c][k] for k in keys}
        top = ranked(keys, sc)[:count(len(keys), rate)]
        crc = ranked(keys, crc_by_country[c])[:count(len(keys), crc_rate)]
        crc_set = set(crc)
        kept, zs = [], []
        for k in top:
            if k in crc_set:
                continue
            vals = [Sc[cc][k] for cc in COUNTRIES]
            mean = sum(vals) / len(vals)
            std = (sum((v - mean) ** 2 for v in vals) / len(vals)) ** 0.5   # population std
            z = 0.0 if std == 0 else (Sc[c][k] - mean) / std
            zs.append(dict(unit(k), z=z, mean=mean, std=std))
            if z >= Z_THRESHOLD:
                kept.append(k)
        res["per_country"][c] = {
            "counts": {"pool": len(keys), "selected": len(top), "countryrc": len(crc),
                       "after_exclusion": len(zs), "final": len(kept)},
            "selected_before_exclusion": [unit(k, sc[k]) for k in top],
            "countryrc_top": [unit(k, crc_by_country[c][k]) for k in crc],
            "excluded": [unit(k) for k in top if k in crc_set],
            "zscores_after_exclusion": zs,
            "final": [unit(k, sc[k]) for k in kept],
        }
    return res


# ----------------------------------------------------------------------------------------------
# 6. Evaluation, after eval/evaluate.py (+ utils.register_hook / manipulate_neuron)
# ----------------------------------------------------------------------------------------------
def edits_for(units, op):
    e = {}
    for u in units:
        e.setdefault((u["module"], u["layer"]), []).append(u["index"])
    return {k: [(op, sorted(v))] for k, v in e.items()}


def evaluate(W, vocab, rows, units, op):
    edits = edits_for(units, op) if units else {}
    per = {c: {"n": 0, "correct_vocab": 0, "correct_options": 0, "sum_p_gold": 0.0} for c in COUNTRIES}
    preds = []
    with torch.no_grad():
        for r in rows:
            ids = tokenize(vocab, r["prompt"])
            logits = forward(W, ids, edits=edits)[-1]
            probs = torch.softmax(logits, -1)
            gold = vocab[r["answer"]]
            top = int(torch.argmax(logits))
            opt_ids = [vocab[ch] for ch in r["choices"]]
            top_opt = opt_ids[int(torch.argmax(logits[opt_ids]))]
            d = per[r["country"]]
            d["n"] += 1
            d["correct_vocab"] += int(top == gold)
            d["correct_options"] += int(top_opt == gold)
            d["sum_p_gold"] += probs[gold].item()
            preds.append({"id": r["id"], "argmax_vocab": top, "argmax_options": top_opt,
                          "p_gold": probs[gold].item()})
    out = {}
    tot = {"n": 0, "correct_vocab": 0, "correct_options": 0, "sum_p_gold": 0.0}
    for c, d in per.items():
        for k in tot:
            tot[k] += d[k]
        out[c] = {"n": d["n"], "accuracy_vocab": d["correct_vocab"] / d["n"],
                  "accuracy_options": d["correct_options"] / d["n"], "mean_p_gold": d["sum_p_gold"] / d["n"]}
    out["all"] = {"n": tot["n"], "accuracy_vocab": tot["correct_vocab"] / tot["n"],
                  "accuracy_options": tot["correct_options"] / tot["n"], "mean_p_gold": tot["sum_p_gold"] / tot["n"]}
    return {"per_country": out, "predictions": preds, "units": len(units) if units else 0}


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------
def write_jsonl(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(", ", ": ")) + "\n")


def main():
    datasets = build_datasets()
    vocab = build_vocab(datasets)
    V = len(vocab)
    assert 60 <= V <= 80, f"vocabulary has {V} entries; keep it within 60-80"
    tokenized = {name: [tokenize(vocab, r["prompt"]) for r in rows] for name, rows in datasets.items()}
    assert max(len(t) for ts in tokenized.values() for t in ts) <= MAX_POS

    # weights: seeded random; then the answer tokens' lm_head rows get a share of the mean final
    # hidden direction, so the greedy answer is an option token often enough to give a usable accuracy
    w32 = init_weights(V)
    W = {k: v.double() for k, v in w32.items()}
    mean_h = {}
    with torch.no_grad():
        for name in ("blend", "countryrc"):
            hs = []
            for ids in tokenized[name]:
                Wtmp = dict(W)
                Wtmp["lm_head.weight"] = torch.eye(HIDDEN, dtype=torch.float64)   # logits = final hidden
                hs.append(forward(Wtmp, ids)[-1])
            m = torch.stack(hs).mean(0)
            mean_h[name] = m / m.norm()
    lm = w32["lm_head.weight"].clone()
    for l in LETTERS:
        lm[vocab[l]] += (LABEL_BOOST * mean_h["blend"]).float()
    for c in COUNTRIES:
        lm[vocab[COUNTRY_NAME[c]]] += (LABEL_BOOST * mean_h["countryrc"]).float()
    w32["lm_head.weight"] = lm.contiguous()

    os.makedirs(MODEL_DIR, exist_ok=True)
    with open(os.path.join(MODEL_DIR, "config.json"), "w") as f:
        json.dump(config_json(V), f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(MODEL_DIR, "model.safetensors"), w32)
    with open(os.path.join(MODEL_DIR, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(vocab), f, indent=2)
        f.write("\n")
    write_jsonl(os.path.join(HERE, "blend.jsonl"), datasets["blend"])
    write_jsonl(os.path.join(HERE, "blend-control.jsonl"), datasets["blendcontrol"])
    write_jsonl(os.path.join(HERE, "countryrc.jsonl"), datasets["countryrc"])

    # check: what was written reads back bit for bit; the reference uses exactly those float32 values
    back = read_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
    assert sorted(back) == sorted(w32) and all(torch.equal(back[k], w32[k]) for k in w32)
    W = {k: v.double() for k, v in back.items()}

    # optional check with the official libraries, where installed (not in /usr/bin/python3 here)
    try:
        from tokenizers import Tokenizer
        from safetensors.numpy import load_file
    except ImportError:
        print("tokenizers/safetensors not installed: library cross-check skipped")
    else:
        tok = Tokenizer.from_file(os.path.join(MODEL_DIR, "tokenizer.json"))
        for name, rows in datasets.items():
            for r, ids in zip(rows, tokenized[name]):
                assert tok.encode(r["prompt"]).ids == ids, f"tokenizers disagrees on {r['id']}"
        st = load_file(os.path.join(MODEL_DIR, "model.safetensors"))
        assert sorted(st) == sorted(w32) and all((st[k] == w32[k].numpy()).all() for k in w32)
        print("tokenizers/safetensors cross-check passed")

    # check: causal mask -- appending a token leaves earlier logits unchanged
    with torch.no_grad():
        ids = tokenized["blend"][0]
        l1 = forward(W, ids)
        l2 = forward(W, ids + [vocab["rice"]])
        assert torch.allclose(l1, l2[:-1], rtol=0, atol=1e-12), "causal mask check failed"

    # check: the vectorised forward agrees with the loop-based one on a few prompts of each dataset
    with torch.no_grad():
        for name in datasets:
            for ids in tokenized[name][:3]:
                d = (forward(W, ids)[-1] - naive_last_logits(W, ids)).abs().max().item()
                assert d < 1e-11, f"forward and naive forward disagree by {d} on {name}"

    # ---- per-sample scores
    samples = []
    sums = {d: {c: {k: 0.0 for k in unit_order()} for c in COUNTRIES} for d in datasets}
    n_samples = {d: len(rows) for d, rows in datasets.items()}
    fd_worst = 0.0
    for dname, rows in datasets.items():
        control = "control" in dname                   # the code: 'control' in dataset_name
        for i, (r, ids) in enumerate(zip(rows, tokenized[dname])):
            label_id = vocab[r["answer"]]              # tokenizer.convert_tokens_to_ids(label)
            p, sc, cap = sample_scores(W, ids, label_id, control)
            if i < 2:
                T = len(ids)
                probes = [("mlp.gate_proj", 0, 3, 5), ("mlp.up_proj", 1, T - 1, 17),
                          ("self_attn.q_proj", 1, T - 2, 9), ("self_attn.k_proj", 0, 1, 14),
                          ("self_attn.v_proj", 1, T - 1, 3), ("mlp.gate_proj", 1, T - 1, 40)]
                fd_worst = max(fd_worst, grad_check(W, ids, label_id, cap, probes))
            rec = {"dataset": dname, "id": r["id"], "country": r["country"], "token_ids": ids,
                   "label": r["answer"], "label_id": label_id, "p": p,
                   "scores": {s: sc[s].tolist() for s in SITES}}
            samples.append(rec)
            for s in SITES:
                for L in range(LAYERS):
                    for n in range(WIDTH[s]):
                        sums[dname][r["country"]][(s, L, n)] += rec["scores"][s][L][n]

    # ---- culture-general S(n): per dataset, sum over countries / total sample count of that dataset
    keys = unit_order()
    S = {k: sum(sums["blend"][c][k] for c in COUNTRIES) / n_samples["blend"]
         - sum(sums["blendcontrol"][c][k] for c in COUNTRIES) / n_samples["blendcontrol"] for k in keys}
    crc_total = {k: sum(sums["countryrc"][c][k] for c in COUNTRIES) for k in keys}   # raw, unnormalised
    general = [select_general(S, crc_total, cfg) for cfg in GENERAL_CONFIGS]
    # ---- culture-specific S_c(n): the country's sums / the dataset's TOTAL sample count
    Sc = {c: {k: sums["blend"][c][k] / n_samples["blend"] - sums["blendcontrol"][c][k] / n_samples["blendcontrol"]
              for k in keys} for c in COUNTRIES}
    crc_by_country = {c: {k: sums["countryrc"][c][k] for k in keys} for c in COUNTRIES}
    specific = [select_specific(Sc, crc_by_country, cfg) for cfg in SPECIFIC_CONFIGS]

    # check: every count equals the code's rounding rule int(pool * rate)
    for g, cfg in zip(general, GENERAL_CONFIGS):
        c = g["counts"]
        assert c["mlp_selected"] == int(128 * cfg[1]) == math.floor(128 * cfg[1])
        assert c["attention_selected"] == int(128 * cfg[2]) == math.floor(128 * cfg[2])
        assert c["countryrc_mlp"] == int(128 * cfg[3]) and c["countryrc_attention"] == int(128 * cfg[4])
        assert c["mlp_pool"] == LAYERS * INTER and c["attention_pool"] == LAYERS * (32 + 16 + 16)
    for sp, cfg in zip(specific, SPECIFIC_CONFIGS):
        for c in COUNTRIES:
            cc = sp["per_country"][c]["counts"]
            assert cc["pool"] == 256 and cc["selected"] == int(256 * cfg[1]) and cc["countryrc"] == int(256 * cfg[2])
    # check: no exact ties decide a selection boundary (so the tie rule does not matter here)
    def boundary_tie(score, pool, m):
        vals = sorted((score[k] for k in pool), reverse=True)
        return 0 < m < len(vals) and vals[m - 1] == vals[m]
    gate_pool = [k for k in keys if k[0] in MLP_FAMILY]
    attn_pool = [k for k in keys if k[0] in ATTN_FAMILY]
    for m in (1, 6, 12):
        assert not boundary_tie(S, gate_pool, m) and not boundary_tie(S, attn_pool, m)
        assert not boundary_tie(crc_total, gate_pool, m) and not boundary_tie(crc_total, attn_pool, m)

    # ---- evaluation
    evaluation = {}
    rows = datasets["blend"]
    for g, sp in zip(general, specific):
        ev = {"none": evaluate(W, vocab, rows, [], "suppress"),
              "general_suppress": evaluate(W, vocab, rows, g["selected"], "suppress"),
              "general_enhance": evaluate(W, vocab, rows, g["selected"], "enhance")}
        for c in COUNTRIES:
            units = sp["per_country"][c]["final"]
            ev[f"specific_{c}_suppress"] = evaluate(W, vocab, rows, units, "suppress")
            ev[f"specific_{c}_enhance"] = evaluate(W, vocab, rows, units, "enhance")
        evaluation[g["name"]] = ev
    # check: an empty set leaves the model unchanged (the code registers no hook then)
    base = evaluation["code"]["none"]["predictions"]
    assert evaluate(W, vocab, rows, [], "enhance")["predictions"] == base

    ps = [s["p"] for s in samples if s["dataset"] == "blend"]
    assert max(ps) - min(ps) > 0.05, "answer probabilities barely differ across questions; rescale weights"

    expected = {
        "about": "CULNIG float64 reference; see README.md. Unit lists are layer-major: scores[module][layer][index].",
        "model": {"dir": "tiny-llama", "vocab_size": V, "layers": LAYERS, "widths": WIDTH,
                  "dtype_of_reference": "float64 computed from the float32 weights in model.safetensors"},
        "site_order_in_code": SITES,
        "label_boost": LABEL_BOOST,
        "datasets": {d: {"n": n_samples[d], "per_country": {c: sum(1 for r in datasets[d] if r["country"] == c)
                                                           for c in COUNTRIES}} for d in datasets},
        "p": {d: {s["id"]: s["p"] for s in samples if s["dataset"] == d} for d in datasets},
        "sums": {d: {c: layer_major(sums[d][c], SITES) for c in COUNTRIES} for d in datasets},
        "general": {"S": layer_major(S, SITES), "countryrc_total": layer_major(crc_total, SITES),
                    "configs": general,
                    "rounding": "count = int(pool_size * rate) (Python int(): truncation)"},
        "specific": {"S_c": {c: layer_major(Sc[c], SITES) for c in COUNTRIES},
                     "countryrc_by_country": {c: layer_major(crc_by_country[c], SITES) for c in COUNTRIES},
                     "configs": specific,
                     "zscore": "population std over the countries (divide by the number of countries); std 0 gives z 0"},
        "evaluation": {
            "rule": "greedy argmax of the last-position logits over the WHOLE vocabulary compared with the gold token "
                    "(eval/evaluate.py); accuracy_options = argmax restricted to the four option tokens; mean_p_gold = "
                    "softmax over the whole vocabulary",
            "dataset": "blend.jsonl (all rows)",
            "by_config": evaluation},
        "checks": {"finite_difference_worst_relative_error": fd_worst},
    }
    with open(os.path.join(HERE, "culnig_samples.json"), "w") as f:
        json.dump({"about": "per-sample p_i and s_i(n); scores[module][layer][index]", "samples": samples}, f)
        f.write("\n")
    with open(os.path.join(HERE, "culnig_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    # summary
    print(f"vocab {V}; samples " + ", ".join(f"{d} {n}" for d, n in n_samples.items()))
    print(f"p(gold) blend min {min(ps):.4f} max {max(ps):.4f}; finite-difference worst rel err {fd_worst:.2e}")
    for g in general:
        print("general", g["name"], g["counts"])
    for sp in specific:
        print("specific", sp["name"], {c: sp["per_country"][c]["counts"] for c in COUNTRIES})
    for name, ev in evaluation.items():
        for case, r in ev.items():
            a = r["per_country"]["all"]
            print(f"eval {name:7s} {case:22s} units {r['units']:3d} acc_vocab {a['accuracy_vocab']:.3f} "
                  f"acc_opt {a['accuracy_options']:.3f} p_gold {a['mean_p_gold']:.4f}")


if __name__ == "__main__":
    main()
