"""Builds the tiny model, tokenizer, config and the forget/retain data, then trains briefly.

Run: /usr/bin/python3 build_model.py   (deterministic: seeds fixed; CPU)
Writes: config.json, tokenizer.json, tokenizer_config.json, model.safetensors,
        forget.jsonl (skill arithmetic), retain.jsonl (skill copy).
"""
import json
import os
import random

import torch

from tinyllama import TinyLlama, init_weights, save_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))

SPECIAL = ["<pad>", "<unk>", "<bos>", "<eos>"]
NUMBERS = [str(i) for i in range(19)]
SYMBOLS = ["+", "=", "copy", ":", "->", "?", ".", "and", "is"]
LETTERS = [chr(ord("a") + i) for i in range(26)]
TOKENS = SPECIAL + NUMBERS + SYMBOLS + LETTERS  # 58


def config():
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 3,
        "num_attention_heads": 4, "num_key_value_heads": 4, "head_dim": 8,
        "vocab_size": len(TOKENS), "max_position_embeddings": 64,
        "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "rope_scaling": None,
        "hidden_act": "silu", "tie_word_embeddings": False, "attention_bias": False,
        "mlp_bias": False, "pad_token_id": 0, "bos_token_id": 2, "eos_token_id": 3,
        "initializer_range": 0.02, "torch_dtype": "float32",
    }


def tokenizer_json():
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(SPECIAL)]
    bos = {"SpecialToken": {"id": "<bos>", "type_id": 0}}
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": None, "pre_tokenizer": {"type": "WhitespaceSplit"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<bos>", "type_id": 1}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<bos>": {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]}},
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(TOKENS)},
                  "unk_token": "<unk>"},
    }


def arith(rng):
    n = rng.choice([2, 2, 3, 4])
    while True:
        xs = [rng.randint(0, 9) for _ in range(n)]
        if sum(xs) <= 18:
            break
    return " ".join(" + ".join(map(str, xs)).split()) + " = " + str(sum(xs))


def copy_ex(rng):
    n = rng.randint(1, 6)
    xs = [rng.choice(LETTERS[:16]) for _ in range(n)]
    return "copy : " + " ".join(xs) + " -> " + " ".join(xs)


def main():
    rng = random.Random(1234)
    cfg = config()
    forget = [arith(rng) for _ in range(20)]
    retain = [copy_ex(rng) for _ in range(20)]
    with open(os.path.join(HERE, "forget.jsonl"), "w") as f:
        for t in forget:
            f.write(json.dumps({"text": t, "skill": "arithmetic"}) + "\n")
    with open(os.path.join(HERE, "retain.jsonl"), "w") as f:
        for t in retain:
            f.write(json.dumps({"text": t, "skill": "copy"}) + "\n")
    with open(os.path.join(HERE, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(HERE, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(), f, indent=1)
    with open(os.path.join(HERE, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>",
                   "unk_token": "<unk>", "add_bos_token": True, "add_eos_token": False,
                   "model_max_length": 64, "tokenizer_class": "PreTrainedTokenizerFast"}, f, indent=2)

    vocab = {t: i for i, t in enumerate(TOKENS)}
    torch.manual_seed(0)
    w = init_weights(cfg, seed=0)
    for t in w.values():
        t.requires_grad_(True)
    model = TinyLlama(cfg, w)
    opt = torch.optim.Adam(list(w.values()), lr=5e-3)
    trng = random.Random(99)
    for step in range(400):
        opt.zero_grad()
        loss_sum = 0.0
        for _ in range(8):
            text = arith(trng) if trng.random() < 0.5 else copy_ex(trng)
            ids = torch.tensor([2] + [vocab[t] for t in text.split()] + [3])
            logits = model.forward(ids[:-1])
            loss = torch.nn.functional.cross_entropy(logits, ids[1:]) / 8
            loss.backward()
            loss_sum += loss.item()
        opt.step()
        if step % 50 == 0 or step == 399:
            print(f"step {step} loss {loss_sum:.4f}")
    save_safetensors(os.path.join(HERE, "model.safetensors"), {k: v.detach() for k, v in w.items()})
    print("saved")


if __name__ == "__main__":
    main()
