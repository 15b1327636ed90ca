"""Optional cross-check of the files lape_reference.py wrote, against Hugging Face's own code.

Needs an environment with transformers, tokenizers and safetensors (not /usr/bin/python3), e.g.
    python -m venv /tmp/hfcheck && /tmp/hfcheck/bin/pip install torch transformers tokenizers safetensors
    /tmp/hfcheck/bin/python crosscheck_hf.py
It checks that
  * safetensors.safe_open reads tiny-llama/model.safetensors (names, F32, shapes);
  * tokenizers.Tokenizer.from_file(tiny-llama/tokenizer.json) maps every text to its words' ids, adds nothing;
  * transformers' LlamaForCausalLM (float64, eager attention) loads tiny-llama/ and, with a forward hook on
    every layer's mlp.act_fn, gives over_zero counts equal to those in lape_expected.json, and logits and
    SiLU(gate) values equal to lape_reference.forward's to 1e-5. (Not to 1e-12: HF's modeling_llama computes
    RMSNorm's variance, the rotary cos/sin and the attention softmax in float32 even for a float64 model,
    while lape_reference.forward is float64 throughout; the observed gap is about 7e-7.)
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch
from safetensors import safe_open
from tokenizers import Tokenizer
from transformers import LlamaForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "tiny-llama")


def fail(msg):
    raise SystemExit("crosscheck_hf.py: " + msg)


def load_reference():
    spec = importlib.util.spec_from_file_location("lape_reference", os.path.join(HERE, "lape_reference.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ref = load_reference()
    expected = json.load(open(os.path.join(HERE, "lape_expected.json")))
    ours = ref.read_safetensors(os.path.join(MODEL, "model.safetensors"))
    with safe_open(os.path.join(MODEL, "model.safetensors"), framework="pt") as st:
        names = set(st.keys())
        if names != set(ours):
            fail("safetensors names differ: %s" % sorted(names ^ set(ours)))
        for k in names:
            t = st.get_tensor(k)
            if t.dtype != torch.float32 or not torch.equal(t, ours[k]):
                fail("safetensors tensor %s differs" % k)

    tok = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    vocab = ref.build_vocab()
    texts = [json.loads(l)["text"] for l in open(os.path.join(HERE, "languages.jsonl"))]
    rows = [json.loads(l) for l in open(os.path.join(HERE, "languages-response.jsonl"))]
    texts += [r["prompt"] + r["response"] for r in rows] + [r["prompt"] for r in rows]
    for t in texts:
        ids = tok.encode(t).ids
        if ids != ref.tokenize(t, vocab):
            fail("tokenizer.json gives %s for %r" % (ids, t))

    model = LlamaForCausalLM.from_pretrained(MODEL, torch_dtype=torch.float64, attn_implementation="eager")
    model.eval()
    captured = {}
    for i, layer in enumerate(model.model.layers):
        layer.mlp.act_fn.register_forward_hook(lambda m, inp, out, i=i: captured.__setitem__(i, out[0]))
    w64 = {k: v.to(torch.float64) for k, v in ours.items()}

    def counts(seqs):
        oz = np.zeros((ref.LAYERS, ref.INTER), dtype=np.int64)
        worst = 0.0
        for ids in seqs:
            with torch.no_grad():
                logits = model(torch.tensor([ids])).logits[0]
            mine, _, acts = ref.forward(w64, ids)
            worst = max(worst, (logits - mine).abs().max().item())
            for l in range(ref.LAYERS):
                worst = max(worst, (captured[l] - acts[l]).abs().max().item())
                oz[l] += (captured[l] > 0).sum(dim=0).numpy()
        return oz, worst

    worst = 0.0
    lape_oz = np.array(expected["lape"]["over_zero"])
    full_oz = np.array(expected["a5"]["over_zero_full"])
    pre_oz = np.array(expected["a5"]["over_zero_prefix"])
    plain = [json.loads(l) for l in open(os.path.join(HERE, "languages.jsonl"))]
    for j, lang in enumerate(expected["languages"]):
        oz, w = counts([tok.encode(r["text"]).ids for r in plain if r["lang"] == lang])
        worst = max(worst, w)
        if not np.array_equal(oz, lape_oz[:, :, j]):
            fail("HF LAPE counts differ for %s" % lang)
        mine = [r for r in rows if r["lang"] == lang]
        oz, w = counts([tok.encode(r["prompt"] + r["response"]).ids for r in mine])
        worst = max(worst, w)
        if not np.array_equal(oz, full_oz[:, :, j]):
            fail("HF A5 full counts differ for %s" % lang)
        oz, w = counts([tok.encode(r["prompt"]).ids for r in mine])
        worst = max(worst, w)
        if not np.array_equal(oz, pre_oz[:, :, j]):
            fail("HF A5 prefix counts differ for %s" % lang)
    if worst > 1e-5:
        fail("HF float64 forward differs from lape_reference.forward by %g" % worst)
    print("crosscheck_hf.py: safetensors, tokenizer, counts all equal; largest |HF - reference| = %g" % worst)


if __name__ == "__main__":
    main()
