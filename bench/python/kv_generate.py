#!/usr/bin/env python3
"""Greedy generation with a KV cache in PyTorch eager: the reference of GenerationBench.

A Llama-architecture forward written here from the architecture (RMSNorm, rotary positions in the
rotate_half convention, grouped-query attention, SwiGLU), reading the same config.json and
model.safetensors as Neurite. Prompts of one length (no padding). Prints one JSON object: the
milliseconds of each measured run and the tokens of the last one.

usage: kv_generate.py MODEL_DIR IDS_FILE NEW_TOKENS RUNS WARMUP THREADS
"""
import json
import struct
import sys
import time

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise SystemExit(f"{name}: only F32 checkpoints are read here, not {entry['dtype']}")
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[start:end], dtype="<f4").reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class Llama:
    def __init__(self, folder):
        with open(f"{folder}/config.json") as f:
            c = json.load(f)
        self.w = read_safetensors(f"{folder}/model.safetensors")
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c["num_key_value_heads"]
        self.d_head = c["hidden_size"] // self.heads
        self.eps = c["rms_norm_eps"]
        half = torch.arange(0, self.d_head, 2, dtype=torch.float32) / self.d_head
        self.inv_freq = 1.0 / (c["rope_theta"] ** half)
        self.head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])

    def norm(self, x, weight):
        variance = x.pow(2).mean(-1, keepdim=True)
        return weight * (x * torch.rsqrt(variance + self.eps))

    def rope(self, x, positions):
        angles = positions[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((angles, angles), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        x1, x2 = x[..., : self.d_head // 2], x[..., self.d_head // 2 :]
        return x * cos + torch.cat((-x2, x1), dim=-1) * sin

    def forward(self, ids, cache, start):
        b, t = ids.shape
        x = self.w["model.embed_tokens.weight"][ids]
        positions = torch.arange(start, start + t)
        for layer in range(self.layers):
            p = f"model.layers.{layer}."
            h = self.norm(x, self.w[p + "input_layernorm.weight"])
            q = (h @ self.w[p + "self_attn.q_proj.weight"].T).view(b, t, self.heads, self.d_head).transpose(1, 2)
            k = (h @ self.w[p + "self_attn.k_proj.weight"].T).view(b, t, self.kv_heads, self.d_head).transpose(1, 2)
            v = (h @ self.w[p + "self_attn.v_proj.weight"].T).view(b, t, self.kv_heads, self.d_head).transpose(1, 2)
            q, k = self.rope(q, positions), self.rope(k, positions)
            if layer in cache:
                k = torch.cat((cache[layer][0], k), dim=2)
                v = torch.cat((cache[layer][1], v), dim=2)
            cache[layer] = (k, v)
            group = self.heads // self.kv_heads
            kr, vr = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
            scores = (q @ kr.transpose(2, 3)) / (self.d_head ** 0.5)
            if t > 1:
                total = kr.shape[2]
                causal = torch.ones(t, total, dtype=torch.bool).tril(total - t)
                scores = scores.masked_fill(~causal, float("-inf"))
            z = (scores.softmax(-1) @ vr).transpose(1, 2).reshape(b, t, self.heads * self.d_head)
            x = x + z @ self.w[p + "self_attn.o_proj.weight"].T
            h = self.norm(x, self.w[p + "post_attention_layernorm.weight"])
            gate = torch.nn.functional.silu(h @ self.w[p + "mlp.gate_proj.weight"].T)
            x = x + (gate * (h @ self.w[p + "mlp.up_proj.weight"].T)) @ self.w[p + "mlp.down_proj.weight"].T
        x = self.norm(x[:, -1, :], self.w["model.norm.weight"])
        return x @ self.head.T

    def generate(self, prompts, new_tokens):
        cache = {}
        logits = self.forward(prompts, cache, 0)
        out = []
        position = prompts.shape[1]
        for _ in range(new_tokens):
            token = logits.argmax(-1)
            out.append(token)
            if len(out) == new_tokens:
                break
            logits = self.forward(token[:, None], cache, position)
            position += 1
        return torch.stack(out, dim=1)


def main():
    folder, ids_file, new_tokens, runs, warmup, threads = sys.argv[1:7]
    if int(threads) > 0:
        torch.set_num_threads(int(threads))
    with open(ids_file) as f:
        prompts = torch.tensor([[int(i) for i in line.split()] for line in f if line.strip()])
    model = Llama(folder)
    millis = []
    with torch.no_grad():
        for run in range(int(warmup) + int(runs)):
            started = time.perf_counter()
            tokens = model.generate(prompts, int(new_tokens))
            if run >= int(warmup):
                millis.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"millis": millis, "tokens": tokens.tolist(), "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
