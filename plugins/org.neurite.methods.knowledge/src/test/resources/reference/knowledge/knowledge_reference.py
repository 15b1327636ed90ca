"""Independent reference for knowledge neurons (Dai et al., ACL 2022; METHODS.md A13) on a causal Llama.

Run from this folder with `/usr/bin/python3 knowledge_reference.py` (PyTorch eager, numpy; nothing else).
It writes facts.jsonl, tiny-llama/{config.json,model.safetensors,tokenizer.json} and knowledge_expected.json,
and fails loudly (AssertionError) when a sanity check does not hold. See README.md for every rule and choice.
"""
import hashlib
import json
import math
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "tiny-llama")

# ---------------------------------------------------------------- constants taken from the authors' code
STEPS = 20               # batch_size * num_batch in 1_analyze_mlm.py (1_run_mlm.sh), i.e. m
PREFILTER_RATIO = 0.1    # 1_analyze_mlm.py: convert_to_triplet_ig, ig >= max_ig * 0.1 (max over all layers)
THRESHOLD_RATIO = 0.2    # 2_get_kn.py: threshold_ratio used by re_filter
MODE_RATIO_BAG_START = 0.7   # 2_get_kn.py: mode_ratio_bag
MODE_RATIO_STEP = 0.05
MODE_RATIO_TRIES = 6     # for max_it in range(6)
KN_TARGET_LOW, KN_TARGET_HIGH = 2, 5
MIN_PROMPTS = 3          # parse_kn(..., min_threshold=3) for bags
MODE_RATIO_REL = 0.1     # 2_get_kn.py: mode_ratio_rel, parse_kn(..., min_threshold=0)
ENHANCE_FACTOR = 2.0     # custom_bert.py: BertIntermediate, imp_op == 'enhance'
RANDOM_CONTROL_SEED = 20220522

# ---------------------------------------------------------------- model shape (brief)
HIDDEN, INTER, LAYERS, HEADS, KV_HEADS = 32, 64, 2, 4, 2
HEAD_DIM = HIDDEN // HEADS
RMS_EPS, ROPE_THETA, MAX_POS = 1e-6, 10000.0, 64
TRAIN_SEED, TRAIN_MAX_STEPS, TRAIN_LR, TRAIN_STOP_LOSS = 1234, 2000, 3e-3, 0.35
FINE_STEPS = 500         # completeness check only: the same left Riemann sum with m = 500

# ---------------------------------------------------------------- data: 3 relations x 18 facts x 4 paraphrases
COUNTRIES = [
    # subject, capital, language, continent
    ("france", "paris", "french", "europe"),
    ("germany", "berlin", "german", "europe"),
    ("italy", "rome", "italian", "europe"),
    ("spain", "madrid", "spanish", "europe"),
    ("japan", "tokyo", "japanese", "asia"),
    ("china", "beijing", "chinese", "asia"),
    ("egypt", "cairo", "arabic", "africa"),
    ("brazil", "brasilia", "portuguese", "america"),
    ("canada", "ottawa", "english", "america"),
    ("russia", "moscow", "russian", "europe"),
    ("india", "delhi", "hindi", "asia"),
    ("kenya", "nairobi", "swahili", "africa"),
    ("peru", "lima", "spanish", "america"),
    ("greece", "athens", "greek", "europe"),
    ("poland", "warsaw", "polish", "europe"),
    ("vietnam", "hanoi", "vietnamese", "asia"),
    ("norway", "oslo", "norwegian", "europe"),
    ("chile", "santiago", "spanish", "america"),
]
RELATIONS = [
    ("capital", 1, [
        "the capital of {s} is",
        "{s} has its capital in the city of",
        "the capital city of {s} is called",
        "the government of {s} sits in",
    ]),
    ("language", 2, [
        "the official language of {s} is",
        "people in {s} mostly speak",
        "in {s} the main language is",
        "the language spoken in {s} is",
    ]),
    ("continent", 3, [
        "{s} is located in",
        "{s} is a country in",
        "the continent of {s} is",
        "{s} lies on the continent of",
    ]),
]


def build_facts():
    rows = []
    for rel, col, templates in RELATIONS:
        for c in COUNTRIES:
            fact = f"{rel}-{c[0]}"
            for k, t in enumerate(templates):
                rows.append({"id": f"{fact}-{k}", "fact": fact, "relation": rel,
                             "prompt": t.format(s=c[0]), "answer": c[col]})
    return rows


def build_vocab(rows):
    vocab = {"[UNK]": 0}
    for r in rows:
        for w in r["prompt"].split(" ") + [r["answer"]]:
            if w not in vocab:
                vocab[w] = len(vocab)
    return vocab


# ---------------------------------------------------------------- Llama forward, written from HF LlamaForCausalLM
def rms_norm(x, w):
    # LlamaRMSNorm: x * rsqrt(mean(x^2) + eps), then weight * x
    var = x.pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(var + RMS_EPS))


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rope(seq_len, dtype):
    inv_freq = 1.0 / (ROPE_THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.float64) / HEAD_DIM))
    pos = torch.arange(seq_len, dtype=torch.float64)
    freqs = torch.outer(pos, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def forward(P, ids, edit=None):
    """ids: (B, T) long. Returns logits (B, T, V).

    edit(layer, act) -> act may replace the FFN intermediate activation act_fn(gate(x)) * up(x),
    shape (B, T, INTER), before down_proj (the unit of custom_bert.py's BertIntermediate output)."""
    B, T = ids.shape
    dtype = P["model.embed_tokens.weight"].dtype
    x = P["model.embed_tokens.weight"][ids]
    cos, sin = rope(T, dtype)
    mask = torch.full((T, T), float("-inf"), dtype=dtype).triu(1)
    n_rep = HEADS // KV_HEADS
    for L in range(LAYERS):
        pre = f"model.layers.{L}."
        h = rms_norm(x, P[pre + "input_layernorm.weight"])
        q = (h @ P[pre + "self_attn.q_proj.weight"].T).view(B, T, HEADS, HEAD_DIM).transpose(1, 2)
        k = (h @ P[pre + "self_attn.k_proj.weight"].T).view(B, T, KV_HEADS, HEAD_DIM).transpose(1, 2)
        v = (h @ P[pre + "self_attn.v_proj.weight"].T).view(B, T, KV_HEADS, HEAD_DIM).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(n_rep, dim=1)   # repeat_kv: query head j uses kv head j // n_rep
        v = v.repeat_interleave(n_rep, dim=1)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(HEAD_DIM) + mask
        att = torch.softmax(att, dim=-1)
        o = (att @ v).transpose(1, 2).reshape(B, T, HIDDEN)
        x = x + o @ P[pre + "self_attn.o_proj.weight"].T
        h = rms_norm(x, P[pre + "post_attention_layernorm.weight"])
        gate = h @ P[pre + "mlp.gate_proj.weight"].T
        up = h @ P[pre + "mlp.up_proj.weight"].T
        act = torch.nn.functional.silu(gate) * up
        if edit is not None:
            act = edit(L, act)
        x = x + act @ P[pre + "mlp.down_proj.weight"].T
    x = rms_norm(x, P["model.norm.weight"])
    return x @ P["lm_head.weight"].T


def forward_numpy_loops(P, toks):
    """A second, deliberately different forward (numpy, explicit loops over positions and heads) used only as a
    check of `forward`: rotary as a rotation of the pairs (i, i + d/2) by angle pos * theta^(-2i/d)."""
    W = {k: v.numpy() for k, v in P.items()}
    T = len(toks)
    x = np.array([W["model.embed_tokens.weight"][t] for t in toks])
    half = HEAD_DIM // 2

    def norm(v, w):
        return w * v / np.sqrt(np.mean(v * v) + RMS_EPS)

    def rot(vec, pos):
        out = np.empty_like(vec)
        for i in range(half):
            ang = pos / (ROPE_THETA ** (2.0 * i / HEAD_DIM))
            a, b = vec[i], vec[i + half]
            out[i] = a * math.cos(ang) - b * math.sin(ang)
            out[i + half] = b * math.cos(ang) + a * math.sin(ang)
        return out
    for L in range(LAYERS):
        pre = f"model.layers.{L}."
        hn = np.array([norm(x[t], W[pre + "input_layernorm.weight"]) for t in range(T)])
        q = hn @ W[pre + "self_attn.q_proj.weight"].T
        k = hn @ W[pre + "self_attn.k_proj.weight"].T
        v = hn @ W[pre + "self_attn.v_proj.weight"].T
        o = np.zeros((T, HEADS * HEAD_DIM))
        for hd in range(HEADS):
            g = hd // (HEADS // KV_HEADS)
            for t in range(T):
                qt = rot(q[t, hd * HEAD_DIM:(hd + 1) * HEAD_DIM], t)
                sc = np.array([qt @ rot(k[s, g * HEAD_DIM:(g + 1) * HEAD_DIM], s) / math.sqrt(HEAD_DIM)
                               for s in range(t + 1)])
                e = np.exp(sc - sc.max())
                e /= e.sum()
                o[t, hd * HEAD_DIM:(hd + 1) * HEAD_DIM] = sum(
                    e[s] * v[s, g * HEAD_DIM:(g + 1) * HEAD_DIM] for s in range(t + 1))
        x = x + o @ W[pre + "self_attn.o_proj.weight"].T
        hn = np.array([norm(x[t], W[pre + "post_attention_layernorm.weight"]) for t in range(T)])
        gate = hn @ W[pre + "mlp.gate_proj.weight"].T
        up = hn @ W[pre + "mlp.up_proj.weight"].T
        x = x + (gate / (1.0 + np.exp(-gate)) * up) @ W[pre + "mlp.down_proj.weight"].T
    x = np.array([norm(x[t], W["model.norm.weight"]) for t in range(T)])
    return x @ W["lm_head.weight"].T


def init_params(vocab_size):
    g = torch.Generator().manual_seed(TRAIN_SEED)

    def rnd(*shape, std=0.2):
        return (torch.randn(*shape, generator=g) * std).requires_grad_(True)

    P = {"model.embed_tokens.weight": rnd(vocab_size, HIDDEN, std=1.0)}
    for L in range(LAYERS):
        pre = f"model.layers.{L}."
        P[pre + "self_attn.q_proj.weight"] = rnd(HEADS * HEAD_DIM, HIDDEN)
        P[pre + "self_attn.k_proj.weight"] = rnd(KV_HEADS * HEAD_DIM, HIDDEN)
        P[pre + "self_attn.v_proj.weight"] = rnd(KV_HEADS * HEAD_DIM, HIDDEN)
        P[pre + "self_attn.o_proj.weight"] = rnd(HIDDEN, HEADS * HEAD_DIM)
        P[pre + "mlp.gate_proj.weight"] = rnd(INTER, HIDDEN)
        P[pre + "mlp.up_proj.weight"] = rnd(INTER, HIDDEN)
        P[pre + "mlp.down_proj.weight"] = rnd(HIDDEN, INTER)
        P[pre + "input_layernorm.weight"] = torch.ones(HIDDEN, requires_grad=True)
        P[pre + "post_attention_layernorm.weight"] = torch.ones(HIDDEN, requires_grad=True)
    P["model.norm.weight"] = torch.ones(HIDDEN, requires_grad=True)
    P["lm_head.weight"] = rnd(vocab_size, HIDDEN)
    return P


def train(rows, vocab):
    """Seeded Adam on the cross-entropy of the answer as the next token after the last prompt token; stops at the
    first step where every prompt's argmax is its answer and the mean loss is below TRAIN_STOP_LOSS (so that
    P(answer) is high but not saturated at 1, which would leave nothing for IG to attribute)."""
    torch.manual_seed(TRAIN_SEED)
    P = init_params(len(vocab))
    T = max(len(r["prompt"].split(" ")) for r in rows)
    ids = torch.zeros(len(rows), T, dtype=torch.long)   # right padding: causal attention never sees it
    last = torch.tensor([len(r["prompt"].split(" ")) - 1 for r in rows])
    for n, r in enumerate(rows):
        toks = [vocab[w] for w in r["prompt"].split(" ")]
        ids[n, : len(toks)] = torch.tensor(toks)
    ans = torch.tensor([vocab[r["answer"]] for r in rows])
    opt = torch.optim.Adam(list(P.values()), lr=TRAIN_LR)
    for step in range(TRAIN_MAX_STEPS):
        logits = forward(P, ids)[torch.arange(len(rows)), last]
        loss = torch.nn.functional.cross_entropy(logits, ans)
        if loss.item() < TRAIN_STOP_LOSS and bool((logits.argmax(-1) == ans).all()):
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        logits = forward(P, ids)[torch.arange(len(rows)), last]
        acc = (logits.argmax(-1) == ans).double().mean().item()
    print(f"training: {step} Adam steps, final loss {loss.item():.4f}, argmax accuracy {acc:.3f}")
    return {k: v.detach().clone() for k, v in P.items()}


# ---------------------------------------------------------------- files
TENSOR_ORDER = ["model.embed_tokens.weight"] + [
    f"model.layers.{L}.{n}" for L in range(LAYERS) for n in (
        "input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
        "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
        "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight")
] + ["model.norm.weight", "lm_head.weight"]


def write_safetensors(path, P):
    header, blobs, off = {}, [], 0
    for name in TENSOR_ORDER:
        arr = P[name].to(torch.float32).numpy().astype("<f4")
        b = arr.tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", name
        a, b = meta["data_offsets"]
        arr = np.frombuffer(data[8 + n + a: 8 + n + b], dtype="<f4").reshape(meta["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def write_model_folder(P, vocab):
    os.makedirs(MODEL_DIR, exist_ok=True)
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": HIDDEN, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM,
        "hidden_act": "silu", "rms_norm_eps": RMS_EPS, "rope_theta": ROPE_THETA, "rope_scaling": None,
        "max_position_embeddings": MAX_POS, "vocab_size": len(vocab), "tie_word_embeddings": False,
        "attention_bias": False, "attention_dropout": 0.0, "mlp_bias": False, "initializer_range": 0.02,
        "pretraining_tp": 1, "use_cache": True, "torch_dtype": "float32",
        "bos_token_id": None, "eos_token_id": None, "pad_token_id": None,
    }
    with open(os.path.join(MODEL_DIR, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
        "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None,
        "decoder": None, "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }
    with open(os.path.join(MODEL_DIR, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(MODEL_DIR, "model.safetensors"), P)


# ---------------------------------------------------------------- the method, float64, one prompt at a time
def prob_answer(P, ids, target, answer, edit=None):
    logits = forward(P, ids, edit)
    return torch.softmax(logits[:, target, :], dim=-1)[:, answer]


def target_activations(P, ids, target):
    got = {}

    def grab(L, act):
        got[L] = act[0, target, :].detach().clone()
        return act
    with torch.no_grad():
        forward(P, ids, grab)
    return got


def scaled_points(w, m):
    """1_analyze_mlm.py: scaled_input. baseline 0, step = w/m, points step*i for i in range(m): k = 0..m-1."""
    step = w / m
    return torch.stack([step * i for i in range(m)], dim=0), step


def integrated_gradients(P, ids, target, answer, layer, w, m):
    """custom_bert.py / 1_analyze_mlm.py: the whole layer's activation at the target position is replaced by
    each scaled point (other positions, other layers computed normally); grad of P(answer) (softmax
    probability) w.r.t. the replaced vector, summed over the points, times step."""
    pts, step = scaled_points(w, m)
    pts = pts.clone().requires_grad_(True)

    def put(L, act):
        if L != layer:
            return act
        act = act.clone()
        act[:, target, :] = pts
        return act
    p = prob_answer(P, ids.repeat(m, 1), target, answer, put)
    grad, = torch.autograd.grad(torch.unbind(p), pts)
    return grad.sum(dim=0) * step, grad


def grad_at(P, ids, target, answer, layer, vec):
    v = vec.clone().requires_grad_(True)

    def put(L, act):
        if L != layer:
            return act
        act = act.clone()
        act[:, target, :] = v
        return act
    p = prob_answer(P, ids, target, answer, put)
    g, = torch.autograd.grad(p.sum(), v)
    return p.item(), g


def p_with_vector(P, ids, target, answer, layer, vec):
    def put(L, act):
        if L != layer:
            return act
        act = act.clone()
        act[:, target, :] = vec
        return act
    with torch.no_grad():
        return prob_answer(P, ids, target, answer, put).item()


def convert_to_triplet_ig(ig):
    """1_analyze_mlm.py: convert_to_triplet_ig. ig: (layers, inter); keep ig >= max over ALL layers * 0.1."""
    max_ig = ig.max()
    return [[i, j, float(ig[i][j])] for i in range(ig.shape[0]) for j in range(ig.shape[1])
            if ig[i][j] >= max_ig * PREFILTER_RATIO]


def re_filter(triplets):
    """2_get_kn.py: re_filter. metric_max starts at -999, max over the triplets; keep >= metric_max * 0.2."""
    metric_max = -999
    for t in triplets:
        metric_max = max(metric_max, t[2])
    return [t for t in triplets if t[2] >= metric_max * THRESHOLD_RATIO]


def parse_kn(pos_cnt, tot_num, mode_ratio, min_threshold=0):
    """2_get_kn.py: parse_kn. count >= max(tot_num * mode_ratio, min_threshold); order = first insertion."""
    mode_threshold = max(tot_num * mode_ratio, min_threshold)
    return [list(pos) for pos, cnt in pos_cnt.items() if cnt >= mode_threshold], mode_threshold


def counter_update(cnt, key):
    cnt[key] = cnt.get(key, 0) + 1   # an insertion-ordered dict, as collections.Counter


def analysis_relation(fact_ids, kept_by_prompt, prompts_by_fact, mode_ratio_bag):
    """2_get_kn.py: analysis_file for one relation (one .rlt.jsonl file = one relation's bags)."""
    kn_bag_list, thresholds = [], []
    for f in fact_ids:
        pos_cnt = {}
        for pid in prompts_by_fact[f]:
            for t in re_filter(kept_by_prompt[pid]):
                counter_update(pos_cnt, (t[0], t[1]))
        kn, thr = parse_kn(pos_cnt, len(prompts_by_fact[f]), mode_ratio_bag, MIN_PROMPTS)
        kn_bag_list.append(kn)
        thresholds.append(thr)
    ave_kn_num = sum(len(k) for k in kn_bag_list) / len(kn_bag_list)
    pos_cnt_rel = {}
    for kn in kn_bag_list:
        for u in kn:
            counter_update(pos_cnt_rel, tuple(u))
    kn_rel, rel_thr = parse_kn(pos_cnt_rel, len(kn_bag_list), MODE_RATIO_REL)
    return ave_kn_num, kn_bag_list, thresholds, kn_rel, rel_thr, pos_cnt_rel


def adaptive_relation(fact_ids, kept_by_prompt, prompts_by_fact):
    """2_get_kn.py main loop: mode_ratio_bag = 0.7; for max_it in range(6): analyse; <2 -> -0.05; >5 -> +0.05;
    break when 2 <= ave <= 5. The sets kept are those of the LAST analysis (run with p_used)."""
    mode_ratio_bag = MODE_RATIO_BAG_START
    history = []
    for max_it in range(MODE_RATIO_TRIES):
        p_used = mode_ratio_bag
        res = analysis_relation(fact_ids, kept_by_prompt, prompts_by_fact, mode_ratio_bag)
        ave = res[0]
        history.append({"try": max_it, "p": p_used, "ave_kn_num": ave})
        if ave < KN_TARGET_LOW:
            mode_ratio_bag -= MODE_RATIO_STEP
        if ave > KN_TARGET_HIGH:
            mode_ratio_bag += MODE_RATIO_STEP
        if KN_TARGET_LOW <= ave <= KN_TARGET_HIGH:
            break
    return p_used, mode_ratio_bag, history, res


def modified_prob(P, ids, target, answer, units, op):
    """custom_bert.py BertIntermediate: imp_op 'remove' sets unit to 0, 'enhance' multiplies by 2, at tgt_pos."""
    def mod(L, act):
        idx = [u[1] for u in units if u[0] == L]
        if not idx:
            return act
        act = act.clone()
        if op == "remove":
            act[:, target, idx] = 0.0
        elif op == "enhance":
            act[:, target, idx] = act[:, target, idx] * ENHANCE_FACTOR
        else:
            raise ValueError(op)
        return act
    with torch.no_grad():
        return prob_answer(P, ids, target, answer, mod if units else None).item()


def fl(t):
    return [float(x) for x in t.tolist()]


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    rows = build_facts()
    vocab = build_vocab(rows)
    with open(os.path.join(HERE, "facts.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")

    P32 = train(rows, vocab)
    write_model_folder(P32, vocab)
    st_path = os.path.join(MODEL_DIR, "model.safetensors")
    P = {k: v.to(torch.float64) for k, v in read_safetensors(st_path).items()}   # what Java will read
    for k in P32:
        assert torch.equal(P32[k], P[k].to(torch.float32)), "safetensors round trip " + k
    sha = hashlib.sha256(open(st_path, "rb").read()).hexdigest()

    prompts, kept_by_prompt, prompts_by_fact, fact_rel = [], {}, {}, {}
    compl_errors, compl_fine, fd_checks = [], [], []
    for n, r in enumerate(rows):
        toks = [vocab[w] for w in r["prompt"].split(" ")]
        ids = torch.tensor([toks])
        target = len(toks) - 1
        ans = vocab[r["answer"]]
        with torch.no_grad():
            probs = torch.softmax(forward(P, ids)[0, target], -1)
        p_full = probs[ans].item()
        acts = target_activations(P, ids, target)
        attr = np.zeros((LAYERS, INTER))
        completeness = []
        for L in range(LAYERS):
            ig, grads = integrated_gradients(P, ids, target, ans, L, acts[L], STEPS)
            attr[L] = ig.numpy()
            p_zero = p_with_vector(P, ids, target, ans, L, torch.zeros(INTER, dtype=torch.float64))
            p_w = p_with_vector(P, ids, target, ans, L, acts[L])
            assert abs(p_w - p_full) < 1e-14, "replacing the target activation by itself changed P"
            s = float(ig.sum())
            err = s - (p_w - p_zero)
            fine, _ = integrated_gradients(P, ids, target, ans, L, acts[L], FINE_STEPS)
            err_fine = float(fine.sum()) - (p_w - p_zero)
            compl_errors.append(abs(err))
            compl_fine.append(abs(err_fine))
            completeness.append({"layer": L, "sum_attr": s, "p_w": p_w, "p_zero": p_zero,
                                 "error": err, "error_m500": err_fine})
            if n % 36 == 0:
                for j in (0, INTER // 2, INTER - 1):
                    for alpha in (0.35, 1.0):
                        vec = acts[L] * alpha
                        _, g = grad_at(P, ids, target, ans, L, vec)
                        h = 1e-6
                        vp, vm = vec.clone(), vec.clone()
                        vp[j] += h
                        vm[j] -= h
                        fd = (p_with_vector(P, ids, target, ans, L, vp)
                              - p_with_vector(P, ids, target, ans, L, vm)) / (2 * h)
                        fd_checks.append({"prompt": r["id"], "layer": L, "index": j, "alpha": alpha,
                                          "autograd": float(g[j]), "finite_difference": fd,
                                          "abs_error": abs(float(g[j]) - fd)})
        triplets = convert_to_triplet_ig(attr)
        kept_by_prompt[r["id"]] = triplets
        kept = re_filter(triplets)
        prompts_by_fact.setdefault(r["fact"], []).append(r["id"])
        fact_rel[r["fact"]] = r["relation"]
        prompts.append({
            **r, "token_ids": toks, "answer_id": ans, "target_position": target,
            "p_answer": p_full, "argmax_id": int(probs.argmax()),
            "argmax_correct": int(probs.argmax()) == ans,
            "activations": [fl(acts[L]) for L in range(LAYERS)],
            "attributions": [[float(x) for x in attr[L]] for L in range(LAYERS)],
            "max_attribution": float(attr.max()),
            "prefiltered": triplets,
            "kept": [[t[0], t[1]] for t in kept],
            "completeness": completeness,
        })

    # ------------------------------------------------ selection per relation (2_get_kn.py)
    rng = np.random.RandomState(RANDOM_CONTROL_SEED)
    relations_out, facts_out = [], []
    by_id = {p["id"]: p for p in prompts}
    for rel, _, _ in RELATIONS:
        fact_ids = [f for f in prompts_by_fact if fact_rel[f] == rel]
        p_used, p_after, history, res = adaptive_relation(fact_ids, kept_by_prompt, prompts_by_fact)
        ave, kn_bag_list, thresholds, kn_rel, rel_thr, pos_cnt_rel = res
        relations_out.append({
            "relation": rel, "facts": fact_ids, "p_used": p_used, "p_after_loop": p_after,
            "tries": history, "ave_kn_num": ave, "relation_threshold": rel_thr,
            "relation_neuron_counts": [[u[0], u[1], c] for u, c in pos_cnt_rel.items()],
            "relation_neurons": kn_rel,
        })
        for f, kn, thr in zip(fact_ids, kn_bag_list, thresholds):
            # per-prompt counts of kept units, for the record
            cnt = {}
            for pid in prompts_by_fact[f]:
                for u in by_id[pid]["kept"]:
                    counter_update(cnt, tuple(u))
            # random control: same size, each unit drawn from the same layer as a knowledge neuron,
            # without replacement, never a knowledge neuron itself
            chosen = {tuple(u) for u in kn}
            rand_units = []
            for u in kn:
                pool = [j for j in range(INTER) if (u[0], j) not in chosen]
                j = int(pool[rng.randint(len(pool))])
                chosen.add((u[0], j))
                rand_units.append([u[0], j])
            iv = {"original": [], "remove": [], "enhance": [], "random_remove": [], "random_enhance": []}
            for pid in prompts_by_fact[f]:
                pr = by_id[pid]
                ids = torch.tensor([pr["token_ids"]])
                t, a = pr["target_position"], pr["answer_id"]
                iv["original"].append(modified_prob(P, ids, t, a, [], "remove"))
                iv["remove"].append(modified_prob(P, ids, t, a, kn, "remove"))
                iv["enhance"].append(modified_prob(P, ids, t, a, kn, "enhance"))
                iv["random_remove"].append(modified_prob(P, ids, t, a, rand_units, "remove"))
                iv["random_enhance"].append(modified_prob(P, ids, t, a, rand_units, "enhance"))
            facts_out.append({
                "fact": f, "relation": rel, "prompts": prompts_by_fact[f], "p": p_used,
                "count_threshold": thr,
                "kept_counts": [[u[0], u[1], c] for u, c in cnt.items()],
                "knowledge_neurons": kn, "random_units": rand_units,
                "per_prompt": iv,
                "mean": {k: float(np.mean(v)) for k, v in iv.items()},
            })

    # ------------------------------------------------ sanity, loud
    loop_diff = 0.0
    for r in rows[::17]:
        toks = [vocab[w] for w in r["prompt"].split(" ")]
        with torch.no_grad():
            a = forward(P, torch.tensor([toks]))[0].numpy()
        loop_diff = max(loop_diff, float(np.abs(a - forward_numpy_loops(P, toks)).max()))
    print(f"forward vs the loop-based numpy forward, {len(rows[::17])} prompts: max |logit diff| {loop_diff:.3e}")
    assert loop_diff < 1e-10, "the two Llama forwards disagree"
    max_err, max_fine = max(compl_errors), max(compl_fine)
    max_fd = max(c["abs_error"] for c in fd_checks)
    worst = int(np.argmax(compl_errors))
    print(f"IG completeness |sum Attr - (P(w) - P(0))| over {len(compl_errors)} prompt-layers: m={STEPS} max "
          f"{max_err:.3e} (prompt-layer #{worst}), mean {np.mean(compl_errors):.3e}, median "
          f"{np.median(compl_errors):.3e}; same sum with m={FINE_STEPS}: max {max_fine:.3e}, "
          f"mean {np.mean(compl_fine):.3e}")
    print(f"finite differences vs autograd, {len(fd_checks)} gradients: max abs error {max_fd:.3e}")
    assert max_fd < 1e-8, "autograd and finite differences disagree"
    # a left Riemann sum's error falls as 1/m: going from m=20 to m=500 must cut it by well over 10x
    assert max_fine < 0.1 * max_err and np.mean(compl_fine) < 0.1 * np.mean(compl_errors), \
        "IG does not converge to P(w) - P(0) as m grows: completeness fails"
    assert max_fine < 1e-2, "IG with m=500 is still far from P(w) - P(0): completeness fails"
    acc = np.mean([p["argmax_correct"] for p in prompts])
    facts_all = {}
    for p in prompts:
        facts_all.setdefault(p["fact"], []).append(p["argmax_correct"])
    every = np.mean([all(v) for v in facts_all.values()])
    print(f"model: argmax accuracy {acc:.3f} over prompts; facts answered from every paraphrase {every:.3f}")
    assert every >= 0.75, "the tiny model does not know most facts"
    for rel in relations_out:
        print(f"relation {rel['relation']}: p_used {rel['p_used']!r}, tries {len(rel['tries'])}, "
              f"ave KN {rel['ave_kn_num']:.3f}, relation neurons {rel['relation_neurons']}")
    for fo in facts_out:
        m = fo["mean"]
        print(f"  {fo['fact']:<22} KN {fo['knowledge_neurons']} P {m['original']:.4f} remove {m['remove']:.4f} "
              f"enhance {m['enhance']:.4f} | random {m['random_remove']:.4f} {m['random_enhance']:.4f}")

    out = {
        "method": "knowledge neurons, Dai et al. ACL 2022, causal adaptation (METHODS.md A13)",
        "model": {"folder": "tiny-llama", "model_safetensors_sha256": sha, "dtype_of_computation": "float64"},
        "parameters": {
            "steps": STEPS, "riemann": "left: points k/m for k = 0..m-1", "baseline": "zero",
            "score": "softmax probability of the answer as the next token at the last prompt position",
            "prefilter_ratio": PREFILTER_RATIO, "threshold_ratio": THRESHOLD_RATIO,
            "threshold_max": "over all layers of the prompt (global max)",
            "mode_ratio_bag_start": MODE_RATIO_BAG_START, "mode_ratio_step": MODE_RATIO_STEP,
            "mode_ratio_tries": MODE_RATIO_TRIES, "kn_target": [KN_TARGET_LOW, KN_TARGET_HIGH],
            "min_prompts": MIN_PROMPTS, "mode_ratio_rel": MODE_RATIO_REL, "enhance_factor": ENHANCE_FACTOR,
            "random_control_seed": RANDOM_CONTROL_SEED, "unit": "[layer, index] of act_fn(gate_proj(x)) * up_proj(x)",
        },
        "prompts": prompts,
        "facts": facts_out,
        "relations": relations_out,
        "sanity": {
            "completeness_max_abs_error": max_err, "completeness_mean_abs_error": float(np.mean(compl_errors)),
            "completeness_fine_steps": FINE_STEPS, "completeness_max_abs_error_fine": max_fine,
            "completeness_mean_abs_error_fine": float(np.mean(compl_fine)), "finite_differences": fd_checks,
            "forward_vs_loop_forward_max_abs_logit_diff": loop_diff,
            "prompt_argmax_accuracy": float(acc), "facts_answered_from_every_paraphrase": float(every),
        },
    }
    with open(os.path.join(HERE, "knowledge_expected.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote knowledge_expected.json")


if __name__ == "__main__":
    main()
