#!/usr/bin/env python3
"""PyTorch-eager reference for bench/StatsBench (issue 9, acceptance 5).

A BERT encoder written with torch.nn modules, loaded from a Hugging Face folder's config.json and
model.safetensors (read here without the safetensors package), with forward hooks on every layer's
GELU module -- the values Neurite calls blocks.L.mlp.hook_post -- that fold each batch into per-unit
count, mean, variance (Chan's parallel update in float64) and P(x > 0), as a TransformerLens/baukit
user would. Driven line by line over stdin so that the benchmark can interleave it with Neurite:

  stats IDS_FILE   one batch (one sequence of ids per line); prints the milliseconds it took
  forward IDS_FILE a plain forward of the batch, no hooks; prints milliseconds
  dump FILE        writes, per hook point: "name count", then mean, variance, P(x>0) lines
  quit

Usage: minilm_stats.py MODEL_FOLDER THREADS. Needs Debian's python3-torch (and numpy) only.
"""
import json
import math
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} is {entry['dtype']}; this reference reads F32 only")
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class Layer(nn.Module):
    def __init__(self, d, heads, ffn, eps):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.attn_out = nn.Linear(d, d)
        self.attn_norm = nn.LayerNorm(d, eps=eps)
        self.intermediate = nn.Linear(d, ffn)
        self.act = nn.GELU()  # erf GELU, as BERT's "gelu"
        self.output = nn.Linear(ffn, d)
        self.out_norm = nn.LayerNorm(d, eps=eps)

    def forward(self, x, bias):
        b, t, d = x.shape
        hd = d // self.heads

        def split(y):
            return y.view(b, t, self.heads, hd).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
        z = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = self.attn_norm(x + self.attn_out(z))
        return self.out_norm(x + self.output(self.act(self.intermediate(x))))


class Bert(nn.Module):
    def __init__(self, config, weights):
        super().__init__()
        d, eps = config["hidden_size"], config.get("layer_norm_eps", 1e-12)
        self.words = nn.Embedding(config["vocab_size"], d)
        self.positions = nn.Embedding(config["max_position_embeddings"], d)
        self.types = nn.Embedding(config.get("type_vocab_size", 2), d)
        self.norm = nn.LayerNorm(d, eps=eps)
        self.layers = nn.ModuleList(Layer(d, config["num_attention_heads"], config["intermediate_size"], eps)
                                    for _ in range(config["num_hidden_layers"]))
        names = {"words.weight": "embeddings.word_embeddings.weight",
                 "positions.weight": "embeddings.position_embeddings.weight",
                 "types.weight": "embeddings.token_type_embeddings.weight",
                 "norm.weight": "embeddings.LayerNorm.weight", "norm.bias": "embeddings.LayerNorm.bias"}
        parts = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
                 "attn_out": "attention.output.dense", "attn_norm": "attention.output.LayerNorm",
                 "intermediate": "intermediate.dense", "output": "output.dense", "out_norm": "output.LayerNorm"}
        for i in range(len(self.layers)):
            for ours, theirs in parts.items():
                for p in ("weight", "bias"):
                    names[f"layers.{i}.{ours}.{p}"] = f"encoder.layer.{i}.{theirs}.{p}"
        state = {}
        for ours, theirs in names.items():
            if theirs not in weights and "bert." + theirs in weights:
                theirs = "bert." + theirs
            state[ours] = weights[theirs]
        self.load_state_dict(state)

    def forward(self, ids, mask):
        t = ids.shape[1]
        positions = torch.arange(t).unsqueeze(0)
        x = self.norm(self.words(ids) + self.positions(positions) + self.types(torch.zeros_like(ids)))
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, bias)
        return x


class Stats:
    """count, mean, M2 (float64, Chan's update) and the count of x > 0, per unit."""

    def __init__(self):
        self.n = 0
        self.mean = None
        self.m2 = None
        self.positive = None

    def add(self, rows):
        x = rows.double()
        n_b = x.shape[0]
        mean_b = x.mean(0)
        m2_b = ((x - mean_b) ** 2).sum(0)
        positive_b = (rows > 0).sum(0)
        if self.n == 0:
            self.n, self.mean, self.m2, self.positive = n_b, mean_b, m2_b, positive_b
            return
        n = self.n + n_b
        delta = mean_b - self.mean
        self.mean = self.mean + delta * (n_b / n)
        self.m2 = self.m2 + m2_b + delta ** 2 * (self.n * n_b / n)
        self.positive = self.positive + positive_b
        self.n = n


def read_ids(path):
    rows = [[int(v) for v in line.replace(",", " ").split()] for line in open(path) if line.strip()]
    return torch.tensor(rows, dtype=torch.long)


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    config = json.load(open(folder + "/config.json"))
    model = Bert(config, read_safetensors(folder + "/model.safetensors")).eval()
    stats = [Stats() for _ in model.layers]
    for i, layer in enumerate(model.layers):
        def hook(module, inputs, output, s=stats[i]):
            s.add(output.reshape(-1, output.shape[-1]))
        layer.act.register_forward_hook(hook)
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "quit":
            break
        if command in ("stats", "forward"):
            ids = read_ids(argument)
            mask = torch.ones_like(ids)
            handles_on = command == "stats"
            started = time.perf_counter()
            with torch.no_grad():
                if handles_on:
                    model(ids, mask)
                else:
                    with_hooks_off(model, lambda: model(ids, mask))
            print(f"{(time.perf_counter() - started) * 1000:.4f}", flush=True)
        elif command == "dump":
            with open(argument, "w") as out:
                for i, s in enumerate(stats):
                    out.write(f"blocks.{i}.mlp.hook_post {s.n}\n")
                    variance = s.m2 / s.n
                    for values in (s.mean, variance, s.positive.double() / s.n):
                        out.write(" ".join(repr(float(v)) for v in values) + "\n")
            print(argument, flush=True)
        else:
            print(f"unknown command {command!r}", flush=True)


def with_hooks_off(model, run):
    saved = [layer.act._forward_hooks.copy() for layer in model.layers]
    for layer in model.layers:
        layer.act._forward_hooks.clear()
    try:
        return run()
    finally:
        for layer, hooks in zip(model.layers, saved):
            layer.act._forward_hooks.update(hooks)


if __name__ == "__main__":
    main()
