#!/usr/bin/python3
"""Independent reference for relation-specific neurons (METHODS.md B2; Liu et al., EMNLP 2025).

Run from this folder:   /usr/bin/python3 relation_reference.py            (regenerates everything)
                        /usr/bin/python3 relation_reference.py --verify   (recomputes relation_expected.json
                                                                          from the stored model, compares)

It writes facts.jsonl, tiny-llama/{config.json,tokenizer.json,model.safetensors} (trained here, seeded)
and relation_expected.json (float64). See README.md for every rule and choice.
"""
import json
import math
import os
import struct
import sys
from fractions import Fraction

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "tiny-llama")

# ----------------------------------------------------------------------------------------------
# constants
# ----------------------------------------------------------------------------------------------
HIDDEN = 32
INTER = 64
LAYERS = 2
HEADS = 4
KV_HEADS = 2
HEAD_DIM = HIDDEN // HEADS
EPS = 1e-6
ROPE_THETA = 10000.0
MAX_POS = 64
MODULES = ("gate", "up", "down")
MODULE_WIDTH = {"gate": INTER, "up": INTER, "down": HIDDEN}
UNITS_PER_LAYER = 2 * INTER + HIDDEN
TRAIN_SEED = 0
TRAIN_MAX_STEPS = 2000
TRAIN_LR = 1e-3
INIT_STD = 0.3
TRAIN_MARGIN = 1.0
NEG_SEED = 7001        # splitmix64 seed of relation r for the sampled negatives: NEG_SEED + r
RANDOM_CTRL_SEED = 9001  # splitmix64 seed of the random-unit control for relation j: RANDOM_CTRL_SEED + j
NEG_RATIO = 4
# detect facts left out of training (the model has never seen them, so most are answered wrong and the
# detection filter has something to remove): fact number n of each relation with n in HELD_OUT_N
HELD_OUT_N = (3, 9, 14)
TOP_KS = (5, 10, 20)
EVAL_K = 10

RELATIONS = ("capital", "ceo", "language", "color")
# four objects per relation, six subjects per object (4 detect + 2 eval)
OBJECTS = {
    "capital": ["lorn", "vesta", "new harrow", "new amel"],
    "ceo": ["anna berg", "anna lind", "omar berg", "omar kast"],
    "language": ["elvish", "norran", "old tesk", "kivu"],
    "color": ["red", "blue", "green", "dark red"],
}
PROMPT_TAIL = ["?", "answer", ":"]


# ----------------------------------------------------------------------------------------------
# deterministic sampler (splitmix64 + Fisher-Yates), reproducible in any language
# ----------------------------------------------------------------------------------------------
MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def shuffled(self, items):
        a = list(items)
        for i in range(len(a) - 1, 0, -1):
            j = self.below(i + 1)
            a[i], a[j] = a[j], a[i]
        return a


# ----------------------------------------------------------------------------------------------
# facts and vocabulary
# ----------------------------------------------------------------------------------------------
def invented_subjects(count):
    """count distinct invented lowercase words (consonant-vowel syllables), deterministic."""
    cons = "bdfgklmnprstvz"
    vows = "aeiou"
    tails = ["", "n", "r", "s", "x"]
    rng = SplitMix64(424242)
    words = []
    taken = set()
    reserved = set(RELATIONS) | set(PROMPT_TAIL) | {w for objs in OBJECTS.values() for o in objs for w in o.split()}
    while len(words) < count:
        w = ""
        for _ in range(2 + rng.below(2)):
            w += cons[rng.below(len(cons))] + vows[rng.below(len(vows))]
        w += tails[rng.below(len(tails))]
        if w in taken or w in reserved:
            continue
        taken.add(w)
        words.append(w)
    return words


def build_facts():
    subjects = invented_subjects(sum(6 * len(OBJECTS[r]) for r in RELATIONS))
    facts = []
    s = 0
    for r in RELATIONS:
        n = 0
        for obj in OBJECTS[r]:
            for k in range(6):
                split = "detect" if k < 4 else "eval"
                subj = subjects[s]
                s += 1
                facts.append({
                    "id": f"{r}-{n:02d}",
                    "relation": r,
                    "subject": subj,
                    "prompt": f"{subj} {r} ? answer :",
                    "object": obj,
                    "split": split,
                })
                n += 1
    return facts


def build_vocab(facts):
    words = ["[UNK]"] + PROMPT_TAIL + list(RELATIONS)
    for f in facts:
        for w in f["subject"].split() + f["object"].split():
            if w not in words:
                words.append(w)
    return {w: i for i, w in enumerate(words)}


def encode(vocab, text):
    return [vocab.get(w, 0) for w in text.split(" ")]


# ----------------------------------------------------------------------------------------------
# the model, written from HF LlamaForCausalLM (RMSNorm, RoPE rotate_half, GQA, causal, SwiGLU)
# ----------------------------------------------------------------------------------------------
class RMSNorm(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + EPS))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope(t, dtype):
    inv_freq = 1.0 / (ROPE_THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.float64) / HEAD_DIM))
    pos = torch.arange(t, dtype=torch.float64)
    freqs = torch.outer(pos, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(HIDDEN, HEADS * HEAD_DIM, bias=False)
        self.k_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.v_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.o_proj = nn.Linear(HEADS * HEAD_DIM, HIDDEN, bias=False)

    def forward(self, x):  # x: [B, T, H]
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, HEADS, HEAD_DIM).transpose(1, 2)
        k = self.k_proj(x).view(b, t, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = self.v_proj(x).view(b, t, KV_HEADS, HEAD_DIM).transpose(1, 2)
        cos, sin = rope(t, x.dtype)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = HEADS // KV_HEADS  # HF repeat_kv: query head h reads kv head h // rep
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(HEAD_DIM)
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        w = torch.softmax(scores, dim=-1)
        o = (w @ v).transpose(1, 2).reshape(b, t, HEADS * HEAD_DIM)
        return self.o_proj(o)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate_proj = nn.Linear(HIDDEN, INTER, bias=False)
        self.up_proj = nn.Linear(HIDDEN, INTER, bias=False)
        self.down_proj = nn.Linear(INTER, HIDDEN, bias=False)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(HIDDEN)
        self.self_attn = Attention()
        self.post_attention_layernorm = RMSNorm(HIDDEN)
        self.mlp = MLP()

    def forward(self, h):
        h = h + self.self_attn(self.input_layernorm(h))
        return h + self.mlp(self.post_attention_layernorm(h))


class Inner(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, HIDDEN)
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.norm = RMSNorm(HIDDEN)


class TinyLlama(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.model = Inner(vocab)
        self.lm_head = nn.Linear(HIDDEN, vocab, bias=False)

    def forward(self, ids):  # ids: [B, T] long -> logits [B, T, V]
        h = self.model.embed_tokens(ids)
        for layer in self.model.layers:
            h = layer(h)
        return self.lm_head(self.model.norm(h))

    def unit_module(self, layer, module):
        return getattr(self.model.layers[layer].mlp, module + "_proj")


# ----------------------------------------------------------------------------------------------
# safetensors and HF folder, written by hand
# ----------------------------------------------------------------------------------------------
def write_safetensors(path, tensors):
    names = sorted(tensors)
    header = {}
    blobs = []
    off = 0
    for n in names:
        a = np.ascontiguousarray(tensors[n].detach().cpu().numpy().astype("<f4"))
        b = a.tobytes()
        header[n] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"format": "pt"}
    hj = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hj += b" " * ((8 - len(hj) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj)))
        f.write(hj)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, expected F32")
        s, e = info["data_offsets"]
        a = np.frombuffer(raw[base + s:base + e], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out


def write_model_folder(model, vocab):
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
        "rms_norm_eps": EPS,
        "rope_theta": ROPE_THETA,
        "rope_scaling": None,
        "max_position_embeddings": MAX_POS,
        "vocab_size": len(vocab),
        "tie_word_embeddings": False,
        "attention_bias": False,
        "mlp_bias": False,
        "torch_dtype": "float32",
        "bos_token_id": None,
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
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }
    with open(os.path.join(MODEL_DIR, "tokenizer.json"), "w") as f:
        json.dump(tok, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(MODEL_DIR, "model.safetensors"), model.state_dict())


def load_model_folder():
    with open(os.path.join(MODEL_DIR, "tokenizer.json")) as f:
        vocab = json.load(f)["model"]["vocab"]
    model = TinyLlama(len(vocab))
    tensors = read_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
    expected = set(model.state_dict())
    if set(tensors) != expected:
        raise ValueError(f"model.safetensors names {sorted(set(tensors) ^ expected)} do not match the model")
    model.load_state_dict(tensors)
    return model, vocab


# ----------------------------------------------------------------------------------------------
# training (float32, seeded, full batch, loss on the object tokens only)
# ----------------------------------------------------------------------------------------------
def held_out(f):
    return f["split"] == "detect" and int(f["id"].split("-")[1]) in HELD_OUT_N


def train(facts, vocab):
    """Adam from a seeded N(0, INIT_STD) init; stops at the first step where, teacher-forced, every object
    token's gold logit beats every other logit by at least TRAIN_MARGIN (a barely-fitted model: its facts
    depend on few units, so deactivation drops are visible)."""
    torch.manual_seed(TRAIN_SEED)
    model = TinyLlama(len(vocab))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("layernorm.weight") or name == "model.norm.weight":
                continue
            p.normal_(0.0, INIT_STD)
    facts = [f for f in facts if not held_out(f)]
    seqs = [encode(vocab, f["prompt"]) + encode(vocab, f["object"]) for f in facts]
    plen = [len(encode(vocab, f["prompt"])) for f in facts]
    t = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), t, dtype=torch.long)
    target = torch.full((len(seqs), t), -100, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)  # right padding never reaches earlier positions (causal)
        for p in range(plen[i], len(s)):
            target[i, p - 1] = s[p]
    mask = target >= 0
    safe = target.clamp(min=0).unsqueeze(-1)
    opt = torch.optim.Adam(model.parameters(), lr=TRAIN_LR)
    for step in range(TRAIN_MAX_STEPS):
        logits = model(ids)
        with torch.no_grad():
            gold = logits.gather(-1, safe).squeeze(-1)
            other = logits.scatter(-1, safe, float("-inf")).max(-1).values
            margin = (gold - other)[mask].min().item()
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                                           ignore_index=-100)
        if step % 20 == 0 or margin >= TRAIN_MARGIN:
            print(f"train step {step:4d} loss {loss.item():.5f} min margin {margin:.4f}")
        if margin >= TRAIN_MARGIN:
            return model, {"steps": step, "loss": loss.item(), "min_margin": margin}
        opt.zero_grad()
        loss.backward()
        opt.step()
    raise AssertionError(f"SANITY FAIL: training did not reach margin {TRAIN_MARGIN} in {TRAIN_MAX_STEPS} steps")


# ----------------------------------------------------------------------------------------------
# units, hooks, values, decoding
# ----------------------------------------------------------------------------------------------
def unit_list():
    units = []
    for layer in range(LAYERS):
        for m in MODULES:
            for c in range(MODULE_WIDTH[m]):
                units.append((layer, m, c))
    return units


UNITS = unit_list()


def unit_index(layer, module, channel):
    return layer * UNITS_PER_LAYER + {"gate": 0, "up": INTER, "down": 2 * INTER}[module] + channel


def capture_values(model, ids):
    """Per unit: mean over all the prompt's tokens of the module's output channel. -> float64 [units]"""
    got = {}
    handles = []
    for layer in range(LAYERS):
        for m in MODULES:
            def hook(mod, inp, out, key=(layer, m)):
                got[key] = out[0].mean(dim=0)  # out: [1, T, width] -> mean over T
            handles.append(model.unit_module(layer, m).register_forward_hook(hook))
    with torch.no_grad():
        model(torch.tensor([ids]))
    for h in handles:
        h.remove()
    return torch.cat([got[(layer, m)] for layer in range(LAYERS) for m in MODULES]).tolist()


def zero_hooks(model, unit_ids):
    by_mod = {}
    for u in unit_ids:
        layer, m, c = UNITS[u]
        by_mod.setdefault((layer, m), []).append(c)
    handles = []
    for (layer, m), chans in sorted(by_mod.items()):
        idx = torch.tensor(sorted(chans))

        def hook(mod, inp, out, idx=idx):
            out = out.clone()
            out[..., idx] = 0.0  # all positions, every forward (prompt and each decoding step)
            return out
        handles.append(model.unit_module(layer, m).register_forward_hook(hook))
    return handles


def greedy(model, ids, n):
    """n greedy tokens, recomputing the whole sequence each step (no cache), ties -> lowest id.
    Also returns the smallest gap between the chosen logit and the runner-up over the n steps."""
    seq = list(ids)
    out = []
    gap = float("inf")
    with torch.no_grad():
        for _ in range(n):
            logits = model(torch.tensor([seq]))[0, -1]
            nxt = int(torch.argmax(logits).item())
            top2 = torch.topk(logits, 2).values
            gap = min(gap, (top2[0] - top2[1]).item())
            out.append(nxt)
            seq.append(nxt)
    return out, gap


def gold_logprob(model, ids, obj):
    """mean over the object's tokens of log p(gold token | prompt + previous gold tokens)."""
    seq = list(ids) + list(obj)
    with torch.no_grad():
        lp = torch.log_softmax(model(torch.tensor([seq]))[0], dim=-1)
    vals = [lp[len(ids) - 1 + i, obj[i]].item() for i in range(len(obj))]
    return sum(vals) / len(vals)


# ----------------------------------------------------------------------------------------------
# average precision exactly as sklearn.metrics.average_precision_score
# ----------------------------------------------------------------------------------------------
def average_precision(scores, labels):
    """AP = sum_n (R_n - R_{n-1}) P_n over distinct thresholds in decreasing order (ties = one threshold).
    Computed exactly with fractions, returned as the correctly rounded float."""
    pos = sum(labels)
    if pos == 0 or pos == len(labels):
        raise ValueError(f"average precision needs positives and negatives, got {pos} of {len(labels)}")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ap = Fraction(0)
    tp = fp = 0
    prev_recall = Fraction(0)
    i = 0
    while i < len(order):
        thr = scores[order[i]]
        while i < len(order) and scores[order[i]] == thr:
            if labels[order[i]]:
                tp += 1
            else:
                fp += 1
            i += 1
        recall = Fraction(tp, pos)
        ap += (recall - prev_recall) * Fraction(tp, tp + fp)
        prev_recall = recall
    return float(ap)


def hand_check_ap():
    # sklearn docs example: y=[0,0,1,1], s=[.1,.4,.35,.8]
    #   thr .8: tp1 fp0 P=1 R=1/2; thr .4: tp1 fp1 (dR=0); thr .35: tp2 fp1 P=2/3 R=1; thr .1: dR=0
    #   AP = 1/2*1 + 1/2*2/3 = 5/6
    a = average_precision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    # tie example: y=[1,0,1,0], s=[.5,.5,.9,.1]
    #   thr .9: tp1 fp0 P=1 R=1/2; thr .5 (one threshold for the tie): tp2 fp1 P=2/3 R=1; AP = 5/6
    b = average_precision([0.5, 0.5, 0.9, 0.1], [1, 0, 1, 0])
    # tie of a positive above: y=[1,1,0,0,1], s=[3,2,2,1,0]
    #   thr 3: tp1 fp0 P=1 R=1/3; thr 2: tp2 fp1 P=2/3 R=2/3; thr 1: dR=0; thr 0: tp3 fp2 P=3/5 R=1
    #   AP = 1/3 + 1/3*2/3 + 1/3*3/5 = 1/3 + 2/9 + 1/5 = 34/45
    c = average_precision([3, 2, 2, 1, 0], [1, 1, 0, 0, 1])
    for got, want, what in ((a, 5 / 6, "sklearn docs example"), (b, 5 / 6, "tie example"),
                            (c, 34 / 45, "positive tie example")):
        if got != want:
            raise AssertionError(f"SANITY FAIL: AP {what} = {got}, by hand {want}")
    print(f"SANITY ok: AP by hand = formula: 5/6={a}, 5/6={b}, 34/45={c}")
    return {"sklearn_docs_example": a, "tie_example": b, "positive_tie_example": c}


def min_pos_neg_gap(scores, labels):
    p = sorted(s for s, l in zip(scores, labels) if l)
    n = sorted(s for s, l in zip(scores, labels) if not l)
    best = float("inf")
    j = 0
    for x in p:  # nearest negative to x by merging
        while j + 1 < len(n) and n[j + 1] <= x:
            j += 1
        for k in (j, j + 1):
            if 0 <= k < len(n):
                best = min(best, abs(x - n[k]))
    return best


def top_k(aps, k):
    order = sorted(range(len(aps)), key=lambda u: (-aps[u], u))  # AP descending, ties by unit index
    return order[:k]


# ----------------------------------------------------------------------------------------------
# the whole computation
# ----------------------------------------------------------------------------------------------
def compute(model, vocab, facts):
    model = model.double().eval()
    enc = {f["id"]: (encode(vocab, f["prompt"]), encode(vocab, f["object"])) for f in facts}
    detect = [f for f in facts if f["split"] == "detect"]
    evals = [f for f in facts if f["split"] == "eval"]

    # detection: values and filter
    values = {f["id"]: capture_values(model, enc[f["id"]][0]) for f in detect}
    det_run = {f["id"]: greedy(model, enc[f["id"]][0], len(enc[f["id"]][1])) for f in detect}
    det_gen = {i: g for i, (g, _) in det_run.items()}
    det_gaps = {i: gap for i, (_, gap) in det_run.items()}
    det_ok = {i: det_gen[i] == enc[i][1] for i in det_gen}
    trained = [f for f in facts if not held_out(f)]
    all_gen = {f["id"]: greedy(model, enc[f["id"]][0], len(enc[f["id"]][1]))[0] for f in trained}
    all_acc = sum(all_gen[i] == enc[i][1] for i in all_gen) / len(trained)

    variants = {}
    for neg_mode in ("all_negatives", "sampled_negatives"):
        for filt in ("unfiltered", "filtered"):
            per_rel = {}
            for r_i, r in enumerate(RELATIONS):
                pool = [f["id"] for f in detect if filt == "unfiltered" or det_ok[f["id"]]]
                pos = [i for i in pool if i.startswith(r + "-")]
                others = [i for i in pool if not i.startswith(r + "-")]
                if neg_mode == "all_negatives":
                    neg = others
                    seed = None
                else:
                    seed = NEG_SEED + r_i
                    rng = SplitMix64(seed)
                    neg = []
                    while len(neg) < NEG_RATIO * len(pos):  # rounds of permutations when the pool is short
                        neg += rng.shuffled(others)
                    neg = neg[:NEG_RATIO * len(pos)]
                rows = pos + neg
                labels = [1] * len(pos) + [0] * len(neg)
                aps, gaps = [], []
                for u in range(len(UNITS)):
                    sc = [values[i][u] for i in rows]
                    aps.append(average_precision(sc, labels))
                    gaps.append(min_pos_neg_gap(sc, labels))
                tops = {}
                for k in TOP_KS:
                    ids = top_k(aps, k)
                    tops[str(k)] = {"units": ids, "named": [list(UNITS[u]) for u in ids],
                                    "ap": [aps[u] for u in ids]}
                per_rel[r] = {"positive_ids": pos, "negative_ids": neg, "sampler_seed": seed,
                              "ap": aps, "min_pos_neg_gap": gaps,
                              "count_ap_equal_1": sum(1 for a in aps if a == 1.0), "top": tops}
            variants[f"{neg_mode}/{filt}"] = per_rel

    def evaluate(deact_sets):
        out = {"acc": [], "mean_logprob": [], "generated": {}, "gap": []}
        for j in [None] + list(RELATIONS):
            handles = zero_hooks(model, deact_sets[j]) if j is not None else []
            acc_row, lp_row, gap_row = [], [], []
            for r in RELATIONS:
                ok, lps, gaps = 0, [], []
                for f in evals:
                    if f["relation"] != r:
                        continue
                    p, o = enc[f["id"]]
                    g, gap = greedy(model, p, len(o))
                    gaps.append(gap)
                    out["generated"].setdefault("none" if j is None else j, {})[f["id"]] = g
                    ok += g == o
                    lps.append(gold_logprob(model, p, o))
                acc_row.append(ok / len(lps))
                lp_row.append(sum(lps) / len(lps))
                gap_row.append(min(gaps))
            for h in handles:
                h.remove()
            out["acc"].append(acc_row)
            out["mean_logprob"].append(lp_row)
            out["gap"].append(gap_row)
        acc_orig = out["acc"][0]
        # matrices with row = evaluated relation i, column = deactivated relation j
        acc_deact = [[out["acc"][1 + j][i] for j in range(len(RELATIONS))] for i in range(len(RELATIONS))]
        lp_deact = [[out["mean_logprob"][1 + j][i] for j in range(len(RELATIONS))] for i in range(len(RELATIONS))]
        drop = [[(acc_orig[i] - acc_deact[i][j]) / acc_orig[i] if acc_orig[i] > 0 else None
                 for j in range(len(RELATIONS))] for i in range(len(RELATIONS))]
        gap_deact = [[out["gap"][1 + j][i] for j in range(len(RELATIONS))] for i in range(len(RELATIONS))]
        return {"acc_orig": acc_orig, "min_argmax_gap_orig": out["gap"][0], "min_argmax_gap_deact": gap_deact, "mean_logprob_orig": out["mean_logprob"][0], "acc_deact": acc_deact,
                "acc_drop": drop, "mean_logprob_deact": lp_deact, "generated": out["generated"],
                "deactivated_units": {j: deact_sets[j] for j in RELATIONS}}

    evaluations = {}
    for name in variants:
        sets = {None: []}
        sets.update({r: variants[name][r]["top"][str(EVAL_K)]["units"] for r in RELATIONS})
        evaluations[name] = evaluate(sets)
    rand_sets = {None: []}
    for j, r in enumerate(RELATIONS):
        rand_sets[r] = sorted(SplitMix64(RANDOM_CTRL_SEED + j).shuffled(range(len(UNITS)))[:EVAL_K])
    evaluations["random_control"] = evaluate(rand_sets)

    return {
        "detect_ids": [f["id"] for f in detect],
        "detect_values": [values[f["id"]] for f in detect],
        "detection": {"generated": det_gen, "correct": det_ok, "argmax_gap": det_gaps, "min_argmax_gap": min(det_gaps.values()),
                      "accuracy": sum(det_ok.values()) / len(det_ok)},
        "all_facts_accuracy": all_acc,
        "ap": variants,
        "evaluation": evaluations,
    }


def diag_check(ev):
    d = ev["acc_drop"]
    n = len(d)
    if any(x is None for row in d for x in row):
        return {"diag_mean": None, "offdiag_mean": None, "ok": False}
    diag = sum(d[i][i] for i in range(n)) / n
    off = sum(d[i][j] for i in range(n) for j in range(n) if i != j) / (n * n - n)
    return {"diag_mean": diag, "offdiag_mean": off, "ok": diag > off}


def build_expected(model, vocab, facts, ap_hand, training):
    res = compute(model, vocab, facts)
    prompts = [{"id": f["id"], "relation": f["relation"], "split": f["split"],
                "prompt_ids": encode(vocab, f["prompt"]), "object_ids": encode(vocab, f["object"])}
               for f in facts]
    sanity = {"ap_by_hand": ap_hand,
              "all_facts_accuracy": res["all_facts_accuracy"],
              "diagonal_vs_offdiagonal": {k: diag_check(v) for k, v in res["evaluation"].items()}}
    return {
        "description": "Relation-specific neurons (METHODS.md B2) reference, float64; see README.md",
        "relations": list(RELATIONS),
        "unit_order": "layer-major; within a layer gate_proj channels 0..63, up_proj 0..63, down_proj 0..31; "
                      "index = layer*160 + {gate:0, up:64, down:128} + channel",
        "units": [list(u) for u in UNITS],
        "value_rule": "mean over all prompt tokens (no object tokens, no padding) of the module output channel "
                      "(gate_proj/up_proj pre-activation, down_proj output)",
        "correct_rule": "greedy decode len(object tokens) tokens (1 or 2), full recompute each step, "
                        "argmax ties to the lowest id; correct iff generated ids == object ids",
        "top_k_rule": "AP descending, ties by ascending unit index",
        "evaluation_primary": "all_negatives/filtered",
        "eval_k": EVAL_K,
        "training": training,
        "prompts": prompts,
        **res,
        "sanity": sanity,
    }


def compare(a, b, path="$"):
    if isinstance(a, dict):
        if not isinstance(b, dict) or set(a) != set(b):
            raise AssertionError(f"{path}: keys differ")
        for k in a:
            compare(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            raise AssertionError(f"{path}: lengths differ")
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, (float, int)):
        if abs(a - b) > 1e-12 * max(1.0, abs(a)):
            raise AssertionError(f"{path}: {a} != {b}")
    elif a != b:
        raise AssertionError(f"{path}: {a!r} != {b!r}")


def report(exp):
    print(f"trained facts accuracy {exp['all_facts_accuracy']:.4f}; detect accuracy (incl. held out) "
          f"{exp['detection']['accuracy']:.4f}")
    for name, ev in exp["evaluation"].items():
        print(f"[{name}] acc_orig {ev['acc_orig']}")
        print(f"[{name}] acc_drop (row evaluated, col deactivated):")
        for r, row in zip(RELATIONS, ev["acc_drop"]):
            print(f"    {r:9s} " + " ".join("  none " if x is None else f"{x:6.3f}" for x in row))
        print(f"[{name}] mean log-prob orig {[round(x, 4) for x in ev['mean_logprob_orig']]}")
        for r, row in zip(RELATIONS, ev["mean_logprob_deact"]):
            print(f"    {r:9s} " + " ".join(f"{x:8.4f}" for x in row))
        dc = exp["sanity"]["diagonal_vs_offdiagonal"][name]
        if name == "random_control":
            print(f"control [{name}]: diagonal drop mean {dc['diag_mean']:.4f}, off-diagonal {dc['offdiag_mean']:.4f} "
                  f"(random units: no specificity expected)")
        elif dc["ok"]:
            print(f"SANITY ok [{name}]: diagonal drop mean {dc['diag_mean']:.4f} > off-diagonal {dc['offdiag_mean']:.4f}")
        else:
            print(f"!!!!!!!! SANITY WARNING [{name}]: diagonal drop mean {dc['diag_mean']} is NOT larger than "
                  f"off-diagonal {dc['offdiag_mean']} !!!!!!!!")
    for r in RELATIONS:
        t = exp["ap"]["all_negatives/filtered"][r]
        print(f"top-10 {r}: " + ", ".join(f"{tuple(n)}={a:.4f}" for n, a in zip(t['top']['10']['named'], t['top']['10']['ap']))
              + f"  (units with AP=1: {t['count_ap_equal_1']})")


def main():
    torch.set_num_threads(1)
    verify = "--verify" in sys.argv[1:]
    ap_hand = hand_check_ap()
    if any(unit_index(*u) != i for i, u in enumerate(UNITS)) or len(UNITS) != LAYERS * UNITS_PER_LAYER:
        raise AssertionError("unit order is not layer-major gate/up/down")
    facts = build_facts()
    vocab = build_vocab(facts)
    if verify:
        model, stored_vocab = load_model_folder()
        if stored_vocab != vocab:
            raise AssertionError("tokenizer.json vocabulary differs from the facts")
        with open(os.path.join(HERE, "relation_expected.json")) as f:
            training = json.load(f)["training"]
    else:
        with open(os.path.join(HERE, "facts.jsonl"), "w") as f:
            for x in facts:
                f.write(json.dumps(x) + "\n")
        model, training = train(facts, vocab)
        training.update({"seed": TRAIN_SEED, "optimizer": "Adam", "lr": TRAIN_LR, "init_std": INIT_STD,
                         "stop_margin": TRAIN_MARGIN, "dtype": "float32",
                         "trained_on": "all facts but held_out_ids, one full batch",
                         "held_out_ids": [f["id"] for f in facts if held_out(f)]})
        write_model_folder(model, vocab)
        reloaded, _ = load_model_folder()
        for (n, a), (_, b) in zip(model.state_dict().items(), reloaded.state_dict().items()):
            if not torch.equal(a, b):
                raise AssertionError(f"safetensors round trip changed {n}")
        print("SANITY ok: safetensors round trip is exact")
        model = reloaded
    exp = build_expected(model, vocab, facts, ap_hand, training)
    if exp["all_facts_accuracy"] < 0.9:
        raise AssertionError(f"SANITY FAIL: trained model answers only {exp['all_facts_accuracy']} of its facts")
    out_path = os.path.join(HERE, "relation_expected.json")
    if verify:
        with open(out_path) as f:
            stored = json.load(f)
        compare(json.loads(json.dumps(exp)), stored)
        print("VERIFY ok: recomputed relation_expected.json equals the stored one")
    else:
        with open(out_path, "w") as f:
            json.dump(exp, f)
            f.write("\n")
    report(exp)


if __name__ == "__main__":
    main()
