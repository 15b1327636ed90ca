"""Independent reference for Skill Unlearning (NAACL 2025): Neuron Adjust (NA) + Key Space Detection (KSD).

Follows Trustworthy-ML-Lab/effective_skill_unlearning (get_adjust_info.py, utils/netprobe.py,
utils/helpers.py, probe.py, aggregate_layer_info_dict.py). Runs in float64 and float32.
Run: /usr/bin/python3 unlearn_reference.py   -> unlearn_expected.json
"""
import json
import math
import os

import torch

from tinyllama import TinyLlama, WordTokenizer, load_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))
PERCENTS = [3.0, 10.0]
ALPHAS = [0.06, 1.0, 2.0, 0.5, 3.0]  # brief: 0.06, 1, 2; 0.5 and 3 added so both sets split
LOGIT_PROMPTS = ["5 + 2 =", "copy : d e ->", "7 + 1 + 3 ="]
U_SEED = 20250401


def read_jsonl(name):
    with open(os.path.join(HERE, name)) as f:
        return [json.loads(l) for l in f if l.strip()]


def fl(t):
    return [float(v) for v in t.reshape(-1).tolist()] if t.dim() > 0 else float(t)


def nested(t):
    return [[float(v) for v in row] for row in t.tolist()]


# ---------- NA statistics (netprobe get_running_mean_std, all tokens, per text sum) ----------
def na_stats(model, id_lists, n_layers, dtype):
    s = [None] * n_layers
    ss = [None] * n_layers
    n = 0
    for ids in id_lists:
        cap = {}
        model.forward(torch.tensor(ids), capture=cap)
        for L in range(n_layers):
            g = cap[f"gate.{L}"]
            ps, pss = g.sum(0), (g ** 2).sum(0)
            s[L] = ps if s[L] is None else s[L] + ps
            ss[L] = pss if ss[L] is None else ss[L] + pss
        n += len(ids)
    mean = [s[L] / n for L in range(n_layers)]
    # the code's "std" field: sum_sq/n - sum*sum/n/n  (a variance)
    var = [ss[L] / n - s[L] * s[L] / n / n for L in range(n_layers)]
    return n, mean, var


def find_top_percentile_value(data_list, percentile):
    index = int(len(data_list) * (1 - percentile / 100))
    index = max(0, min(index, len(data_list) - 1))
    return sorted(data_list, reverse=False)[index], index


# ---------- NA remap (helpers.proportionate_adjusting_tensor) ----------
def remap(x, mu1, s1, mu2, s2, U, code_constant):
    """x (seq, nsel); mu1,s1 retain; mu2,s2 forget; U broadcastable to x."""
    dtype = x.dtype
    if code_constant:
        # torch.sqrt(torch.tensor(2*torch.pi)) is a float32 0-dim tensor in the code
        sq = torch.sqrt(torch.tensor(2 * math.pi, dtype=torch.float32))
    else:
        sq = torch.tensor(math.sqrt(2 * math.pi), dtype=dtype)

    def pdf(v, m, sd):
        factor = (1 / (sd * sq)).to(dtype)
        return factor * torch.exp(-0.5 * ((v - m) / sd) ** 2)

    p1 = pdf(x, mu1, s1)
    p2 = pdf(x, mu2, s2)
    adjusted_raw = ((x - mu2) / s2) * s1 + mu1
    adjusted = 2 * mu1 - adjusted_raw
    changed = (U >= (p1 / (p1 + p2))) & (p1 <= p2)
    return torch.where(changed, adjusted, x), changed


def make_hooks(sel, stats, variant, U_by_layer):
    """variant 'a': code as run (sigma_r = variance field, sigma_f = mean_forget, one U per hook call).
    variant 'b': paper intent (sigma = sqrt(variance field) for both, one U per value)."""
    hooks, record = {}, {}
    for L, units in sel.items():
        if not units:
            continue
        idx = torch.tensor(units, dtype=torch.long)
        mu_r, var_r = stats["retain_mean"][L][idx], stats["retain_var"][L][idx]
        mu_f, var_f = stats["forget_mean"][L][idx], stats["forget_var"][L][idx]
        if variant == "a":
            s1, s2, cc = var_r, mu_f, True
        else:
            s1, s2, cc = torch.sqrt(var_r), torch.sqrt(var_f), False

        def hook(g, L=L, idx=idx, mu_r=mu_r, s1=s1, mu_f=mu_f, s2=s2, cc=cc):
            g = g.clone()
            U = U_by_layer[L].to(g.dtype)
            before = g[:, idx].clone()
            after, changed = remap(before, mu_r, s1, mu_f, s2, U, cc)
            g[:, idx] = after
            record[L] = {"before": before, "after": after, "changed": changed}
            return g

        hooks[L] = hook
    return hooks, record


def draw_U(gen, sel_by_p, seq_len, n_layers):
    ua = {L: torch.rand(1, generator=gen, dtype=torch.float64) for L in range(n_layers)}
    ub = {p: {L: torch.rand(seq_len, len(sel_by_p[p][L]), generator=gen, dtype=torch.float64)
              for L in range(n_layers)} for p in sel_by_p}
    return ua, ub


# ---------- KSD (helpers.get_mean_std / get_layer_info_from_forget_act_stats / steer hook) ----------
def welford(vs):
    n, mean, M2 = 0, 0, 0
    for x in vs:
        n += 1
        delta = x - mean
        mean = mean + delta / n
        delta2 = x - mean
        M2 = M2 + delta * delta2
    std = torch.sqrt(M2 / (n - 1)) if n > 1 else torch.zeros_like(mean)
    return mean, std


def within(a, b, x):
    return bool(torch.all((x >= a - b) & (x <= a + b)))


def binary_search_k(mean, std, vs):
    lower, upper, tol = 0, 10000, 1e-5
    iters = 0
    while upper - lower > tol:
        mid = (lower + upper) / 2.0
        ok = all(within(mean, mid * std, v) for v in vs)
        if ok:
            upper = mid
        else:
            lower = mid
        iters += 1
    return upper, iters


def needed_k(mean, std, v):
    d = (v - mean).abs()
    r = torch.where(std > 0, d / std, torch.where(d == 0, torch.zeros_like(d), torch.full_like(d, float("inf"))))
    return float(r.max())


def run(dtype, w32, cfg, tok, forget, retain, U_pack):
    w = {k: v.to(dtype) for k, v in w32.items()}
    model = TinyLlama(cfg, w)
    nL = cfg["num_hidden_layers"]
    out = {}
    f_ids = [tok.encode(e["text"]) for e in forget]
    r_ids = [tok.encode(e["text"]) for e in retain]
    with torch.no_grad():
        nf, mf, vf = na_stats(model, f_ids, nL, dtype)
        nr, mr, vr = na_stats(model, r_ids, nL, dtype)
        stats = {"forget_mean": mf, "forget_var": vf, "retain_mean": mr, "retain_var": vr}
        delta = [mf[L] - mr[L] for L in range(nL)]
        pooled = []
        for L in range(nL):
            pooled.extend(float(v) for v in delta[L])
        out["na_stats"] = {
            "forget_token_count": nf, "retain_token_count": nr,
            "layers": [{"layer": L, "module": f"model.layers.{L}.mlp.gate_proj",
                        "forget_mean": fl(mf[L]), "forget_std_field_variance": fl(vf[L]),
                        "retain_mean": fl(mr[L]), "retain_std_field_variance": fl(vr[L]),
                        "delta": fl(delta[L])} for L in range(nL)],
        }
        sel_by_p, out["na_selection"] = {}, {}
        for p in PERCENTS:
            thr, index = find_top_percentile_value(pooled, p)
            sel = {L: [i for i, d in enumerate(delta[L].tolist()) if d >= thr] for L in range(nL)}
            sel_by_p[p] = sel
            out["na_selection"][str(p)] = {
                "percent": p, "pooled_count": len(pooled), "sorted_ascending_index": index,
                "threshold": thr,
                "next_value_below_threshold": sorted(pooled)[index - 1] if index > 0 else None,
                "selected": {str(L): sel[L] for L in range(nL)},
                "selected_total": sum(len(s) for s in sel.values()),
                "selected_with_negative_mean_forget": {
                    str(L): [i for i in sel[L] if float(mf[L][i]) < 0] for L in range(nL)},
            }

        # remap on a fixed input (forget[0] full text)
        fixed_ids = f_ids[0]
        base_cap = {}
        base_logits = model.forward(torch.tensor(fixed_ids), capture=base_cap)
        out["remap_fixed_input"] = {"text": forget[0]["text"], "input_ids": fixed_ids,
                                    "unhooked_gate": {str(L): nested(base_cap[f"gate.{L}"]) for L in range(nL)},
                                    "variants": {}}
        ua_fixed, ub_fixed = U_pack["fixed"]
        for p in PERCENTS:
            for variant in ["a", "b"]:
                U_by_layer = ua_fixed if variant == "a" else ub_fixed[p]
                hooks, rec = make_hooks(sel_by_p[p], stats, variant, U_by_layer)
                cap = {}
                logits = model.forward(torch.tensor(fixed_ids), gate_hooks=hooks, capture=cap)
                out["remap_fixed_input"]["variants"][f"{variant}_p{p}"] = {
                    "variant": variant, "percent": p,
                    "layers": {str(L): {"units": sel_by_p[p][L],
                                        "gate_before_remap": nested(rec[L]["before"]),
                                        "gate_after_remap": nested(rec[L]["after"]),
                                        "changed": [[bool(c) for c in row] for row in rec[L]["changed"].tolist()]}
                               for L in rec},
                    "full_gate_after_hook": {str(L): nested(cap[f"gate.{L}"]) for L in range(nL)},
                    "last_logits": fl(logits[-1]),
                    "changed_count": int(sum(int(rec[L]["changed"].sum()) for L in rec)),
                }

        # next-token logits on 3 prompts
        out["logits"] = []
        for pi, prompt in enumerate(LOGIT_PROMPTS):
            ids = tok.encode(prompt)
            entry = {"prompt": prompt, "input_ids": ids,
                     "unhooked": fl(model.forward(torch.tensor(ids))[-1]), "remapped": {}}
            ua, ub = U_pack["prompts"][pi]
            for p in PERCENTS:
                for variant in ["a", "b"]:
                    U_by_layer = ua if variant == "a" else ub[p]
                    hooks, rec = make_hooks(sel_by_p[p], stats, variant, U_by_layer)
                    lg = model.forward(torch.tensor(ids), gate_hooks=hooks)[-1]
                    entry["remapped"][f"{variant}_p{p}"] = {
                        "logits": fl(lg), "argmax": int(lg.argmax()),
                        "changed_count": int(sum(int(rec[L]["changed"].sum()) for L in rec))}
            entry["unhooked_argmax"] = int(torch.tensor(entry["unhooked"]).argmax())
            out["logits"].append(entry)

        # KSD
        def prompt_of(e):
            t = e["text"]
            return t.split(" = ")[0] + " =" if e["skill"] == "arithmetic" else t.split(" -> ")[0] + " ->"

        def key_vec(text):
            cap = {}
            model.forward(torch.tensor(tok.encode(text)), capture=cap)
            return cap[f"down_in.{nL - 1}"][-1].clone()

        fp = [prompt_of(e) for e in forget]
        rp = [prompt_of(e) for e in retain]
        fv = [key_vec(t) for t in fp]
        rv = [key_vec(t) for t in rp]
        mean, std = welford(fv)
        k, iters = binary_search_k(mean, std, fv)
        ksd = {"module": f"model.layers.{nL - 1}.mlp.down_proj (input)",
               "forget_prompts": fp, "retain_prompts": rp,
               "forget_prompt_ids": [tok.encode(t) for t in fp],
               "retain_prompt_ids": [tok.encode(t) for t in rp],
               "forget_key_vectors": [fl(v) for v in fv], "retain_key_vectors": [fl(v) for v in rv],
               "mean": fl(mean), "std_welford_ddof1": fl(std), "k_star": k, "binary_search_iterations": iters,
               "max_needed_k_over_forget": max(needed_k(mean, std, v) for v in fv),
               "needed_k_forget": [needed_k(mean, std, v) for v in fv],
               "needed_k_retain": [needed_k(mean, std, v) for v in rv], "flags": {}}
        kt = torch.tensor(k, dtype=dtype)
        for a in ALPHAS:
            b = (kt * a) * std
            ff = [within(mean, b, v) for v in fv]
            rf = [within(mean, b, v) for v in rv]
            ksd["flags"][str(a)] = {"alpha": a, "forget_flagged": ff, "retain_flagged": rf,
                                    "forget_flagged_count": sum(ff), "retain_flagged_count": sum(rf)}
        out["ksd"] = ksd
    return out, sel_by_p


def main():
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    tok = WordTokenizer(os.path.join(HERE, "tokenizer.json"))
    w32 = load_safetensors(os.path.join(HERE, "model.safetensors"))
    forget, retain = read_jsonl("forget.jsonl"), read_jsonl("retain.jsonl")
    nL = cfg["num_hidden_layers"]

    # selection in float64 fixes the U shapes (variant b: one U per selected value)
    _, sel64 = run(torch.float64, w32, cfg, tok, forget, retain,
                   {"fixed": ({L: torch.zeros(1) for L in range(nL)},
                              {p: {L: torch.zeros(1) for L in range(nL)} for p in PERCENTS}),
                    "prompts": [({L: torch.zeros(1) for L in range(nL)},
                                 {p: {L: torch.zeros(1) for L in range(nL)} for p in PERCENTS})] * 3})
    gen = torch.Generator().manual_seed(U_SEED)
    fixed_len = len(tok.encode(forget[0]["text"]))
    U_pack = {"fixed": draw_U(gen, sel64, fixed_len, nL),
              "prompts": [draw_U(gen, sel64, len(tok.encode(p)), nL) for p in LOGIT_PROMPTS]}

    def u_json(ua, ub):
        return {"a_one_U_per_layer_call": {str(L): float(ua[L][0]) for L in ua},
                "b_one_U_per_value": {str(p): {str(L): nested(ub[p][L]) if ub[p][L].numel() else []
                                               for L in ub[p]} for p in ub}}

    res64, _ = run(torch.float64, w32, cfg, tok, forget, retain, U_pack)
    res32, sel32 = run(torch.float32, w32, cfg, tok, forget, retain, U_pack)

    def maxdiff(a, b):
        return max(abs(x - y) for x, y in zip(a, b))

    summary = {
        "selection_equal_f32_f64": {str(p): sel32[p] == sel64[p] for p in PERCENTS},
        "max_abs_diff_forget_mean": max(maxdiff(res32["na_stats"]["layers"][L]["forget_mean"],
                                                res64["na_stats"]["layers"][L]["forget_mean"]) for L in range(nL)),
        "max_abs_diff_forget_var": max(maxdiff(res32["na_stats"]["layers"][L]["forget_std_field_variance"],
                                               res64["na_stats"]["layers"][L]["forget_std_field_variance"]) for L in range(nL)),
        "k_star_f64": res64["ksd"]["k_star"], "k_star_f32": res32["ksd"]["k_star"],
        "ksd_flags_equal_f32_f64": res32["ksd"]["flags"] == res64["ksd"]["flags"],
        "max_abs_diff_logits": max(maxdiff(a["remapped"][k]["logits"], b["remapped"][k]["logits"])
                                   for a, b in zip(res32["logits"], res64["logits"]) for k in a["remapped"]),
    }
    expected = {
        "paper": "Effective Skill Unlearning through Intervention and Abstention (NAACL 2025)",
        "code": "Trustworthy-ML-Lab/effective_skill_unlearning",
        "model_dir": "this folder (config.json, model.safetensors F32, tokenizer.json)",
        "tokenization": "WhitespaceSplit + WordLevel, <bos>=2 prepended, no <eos>; batch size 1, no padding",
        "na_hook": "model.layers.N.mlp.gate_proj output (pre-activation), all tokens incl. <bos>",
        "ksd_hook": "input of model.layers.2.mlp.down_proj = silu(gate)*up, last token of prompt",
        "percents": PERCENTS, "alphas": ALPHAS,
        "U_seed": U_SEED,
        "U": {"fixed_input": u_json(*U_pack["fixed"]),
              "prompts": [u_json(*u) for u in U_pack["prompts"]]},
        "float64": res64, "float32": res32, "f32_vs_f64": summary,
    }
    with open(os.path.join(HERE, "unlearn_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(json.dumps(summary, indent=1))
    for p in PERCENTS:
        s = res64["na_selection"][str(p)]
        print(p, "thr", s["threshold"], "idx", s["sorted_ascending_index"], "n", s["selected_total"], s["selected"],
              "neg mu_f", s["selected_with_negative_mean_forget"])
    for k, v in res64["remap_fixed_input"]["variants"].items():
        print("remap", k, "changed", v["changed_count"])
    for e in res64["logits"]:
        print(e["prompt"], e["unhooked_argmax"], {k: (v["argmax"], v["changed_count"]) for k, v in e["remapped"].items()})
    kd = res64["ksd"]
    print("k*", kd["k_star"], "iters", kd["binary_search_iterations"], "maxneeded", kd["max_needed_k_over_forget"])
    for a, fgs in kd["flags"].items():
        print("alpha", a, "forget", fgs["forget_flagged_count"], "retain", fgs["retain_flagged_count"])


if __name__ == "__main__":
    main()
