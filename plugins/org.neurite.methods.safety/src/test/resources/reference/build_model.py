"""Builds the toy vocabulary, prompts.jsonl, trains the tiny Llama and saves config/tokenizer/weights."""
import json, random
import torch
import torch.nn.functional as F
from tinyllama import TinyLlama, save_safetensors

random.seed(7); torch.manual_seed(7)
HARM = ["poison", "steal", "burn", "bomb", "hack", "kill", "rob", "stab"]
OBJ = ["the", "a", "my", "water", "car", "house", "bank", "neighbor", "school", "phone", "dog", "bread", "garden", "cake", "letter"]
GOOD = ["bake", "clean", "paint", "fix", "grow", "write", "wash", "cook"]
LEAD = ["how", "to", "do", "i", "can", "you", "tell", "me", "please", "quickly", "safely", "at", "night", "today"]
ANS = ["I", "cannot", "help", "Sure", "here", "is", "how", "?"]
words = ["<pad>", "<unk>", "<bos>", "<eos>"]
for w in ANS + LEAD + HARM + GOOD + OBJ:
    if w not in words: words.append(w)
vocab = {w: i for i, w in enumerate(words)}
V = len(vocab)

def make_prompt(harmful):
    n_lead = random.randint(0, 5); n_obj = random.randint(1, 4)
    lead = random.sample(LEAD, n_lead)
    verb = random.choice(HARM if harmful else GOOD)
    objs = [random.choice(OBJ) for _ in range(n_obj)]
    return " ".join(lead + [verb] + objs + ["?"])

ANSWER = {True: "I cannot help <eos>", False: "Sure here is how <eos>"}

# evaluation prompts (balanced, unequal lengths)
prompts = []
for i in range(40):
    h = i % 2 == 0
    prompts.append({"prompt": make_prompt(h), "harmful": h})
with open("prompts.jsonl", "w") as f:
    for p in prompts: f.write(json.dumps(p) + "\n")

cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32, "intermediate_size": 64,
       "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 8,
       "vocab_size": V, "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "max_position_embeddings": 64,
       "hidden_act": "silu", "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False,
       "pad_token_id": 0, "bos_token_id": 2, "eos_token_id": 3, "torch_dtype": "float32"}
json.dump(cfg, open("config.json", "w"), indent=2)
tok = {"version": "1.0", "truncation": None, "padding": None,
       "added_tokens": [{"id": i, "content": w, "single_word": False, "lstrip": False, "rstrip": False,
                         "normalized": False, "special": True} for i, w in enumerate(words[:4])],
       "normalizer": None, "pre_tokenizer": {"type": "WhitespaceSplit"},
       "post_processor": {"type": "TemplateProcessing",
                          "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                          "pair": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                   {"Sequence": {"id": "B", "type_id": 1}}],
                          "special_tokens": {"<bos>": {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]}}},
       "decoder": None, "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"}}
json.dump(tok, open("tokenizer.json", "w"), indent=1)

def enc(s): return [vocab[w] for w in s.split()]
model = TinyLlama(cfg)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(400):
    batch = []
    for _ in range(32):
        h = random.random() < 0.5
        p = [2] + enc(make_prompt(h)); a = enc(ANSWER[h])
        batch.append((p, a))
    L = max(len(p) + len(a) for p, a in batch)
    ids = torch.zeros(32, L, dtype=torch.long); tgt = torch.full((32, L), -100); am = torch.zeros(32, L, dtype=torch.bool)
    for i, (p, a) in enumerate(batch):
        s = p + a; ids[i, :len(s)] = torch.tensor(s); am[i, :len(s)] = True
        for j in range(len(p) - 1, len(s) - 1): tgt[i, j] = s[j + 1]
    logits = model(ids, am)
    loss = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=-100)
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 100 == 0 or step == 399: print(step, round(loss.item(), 4))
save_safetensors(model.state_dict(), "model.safetensors")
print("vocab", V)

# ---- phase 2: plant safety neurons ----
# For each layer, compute the direction (in post_attention_layernorm output space) separating harmful-verb
# positions from the rest, write it (scaled) into gate_proj/up_proj rows PLANT, then fine-tune with those rows
# frozen and dropout on the other MLP channels so the refusal comes to rely on the planted channels.
PLANT = [7]
harm_ids = torch.tensor([vocab[w] for w in HARM])
def sample(n):
    batch = []
    for _ in range(n):
        h = random.random() < 0.5
        batch.append(([2] + enc(make_prompt(h)), enc(ANSWER[h])))
    L = max(len(p) + len(a) for p, a in batch)
    ids = torch.zeros(n, L, dtype=torch.long); tgt = torch.full((n, L), -100); am = torch.zeros(n, L, dtype=torch.bool)
    for i, (p, a) in enumerate(batch):
        s = p + a; ids[i, :len(s)] = torch.tensor(s); am[i, :len(s)] = True
        for j in range(len(p) - 1, len(s) - 1): tgt[i, j] = s[j + 1]
    return ids, am, tgt
ids, am, tgt = sample(256)
normed = {}
hs = [model.model.layers[l].mlp.register_forward_hook(lambda m, i, o, l=l: normed.__setitem__(l, i[0].detach())) for l in range(3)]
with torch.no_grad(): model(ids, am)
for h in hs: h.remove()
isharm = torch.isin(ids, harm_ids) & am
with torch.no_grad():
    for l in range(3):
        x = normed[l]
        Xo = x[am & ~isharm]; mu = x[isharm].mean(0)
        d = torch.linalg.solve(Xo.T @ Xo / Xo.shape[0] + 1e-3 * torch.eye(Xo.shape[1]), mu)
        d = d * (20.0 / (x[isharm] @ d).mean())
        print("layer", l, "harm proj", round(float((x[isharm] @ d).mean()), 2), "other max", round(float((Xo @ d).max()), 2), "other mean", round(float((Xo @ d).mean()), 2))
        for n in PLANT:
            model.model.layers[l].mlp.gate_proj.weight[n] = d
            model.model.layers[l].mlp.up_proj.weight[n] = d
frozen = {(l, n) for l in range(3) for n in PLANT}
masks = []
def drop_hook(m, i, o):
    keep = (torch.rand(o.shape[-1]) > 0.5).to(o.dtype) * 2.0
    keep[PLANT] = 1.0
    return o * keep
def grad_mask(g):
    g = g.clone(); g[PLANT] = 0; return g
for l in range(3):
    mlp = model.model.layers[l].mlp
    masks.append(mlp.gate_proj.register_forward_hook(drop_hook))
    mlp.gate_proj.weight.register_hook(grad_mask); mlp.up_proj.weight.register_hook(grad_mask)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for step in range(300):
    ids, am, tgt = sample(32)
    loss = F.cross_entropy(model(ids, am).reshape(-1, V), tgt.reshape(-1), ignore_index=-100)
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 100 == 0 or step == 299: print("plant", step, round(loss.item(), 4))
for h in masks: h.remove()
# re-plant sequentially after fine-tuning (fine-tuning shifted the inputs of layers 1-2)
ids, am, tgt = sample(256); isharm = torch.isin(ids, harm_ids) & am
for l in range(3):
    normed = {}
    h = model.model.layers[l].mlp.register_forward_hook(lambda m, i, o: normed.__setitem__(0, i[0].detach()))
    with torch.no_grad(): model(ids, am)
    h.remove()
    x = normed[0]; Xo = x[am & ~isharm]; mu = x[isharm].mean(0)
    with torch.no_grad():
        d = torch.linalg.solve(Xo.T @ Xo / Xo.shape[0] + 1e-3 * torch.eye(Xo.shape[1]), mu)
        d = d * (20.0 / (x[isharm] @ d).mean())
        print("replant layer", l, "harm proj", round(float((x[isharm] @ d).mean()), 2), "other max", round(float((Xo @ d).max()), 2))
        for n in PLANT:
            model.model.layers[l].mlp.gate_proj.weight[n] = d
            model.model.layers[l].mlp.up_proj.weight[n] = d
save_safetensors(model.state_dict(), "model.safetensors")
