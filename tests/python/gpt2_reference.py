"""An independent check of Heed's PyTorch export: GPT-2 written again in PyTorch.

Reads an exported folder the way another tool would: model.safetensors parsed
by hand (8-byte header length, JSON header, little-endian data), config.json
for the architecture, vocab.json and tokenizer.json for the tokens,
tokenizer_config.json's Jinja chat template for the prompt. The forward pass
follows the published GPT-2 (Radford et al. 2019; Hugging Face's
GPT2LMHeadModel): learned positions, pre-LayerNorm blocks, causal multi-head
attention scaled by 1/sqrt(head size), a 4x MLP with the GELU the config
names, final LayerNorm, head tied to the token embedding. It runs in float64,
so any gap to Heed's float32 logits is Heed's rounding or a real difference.

Usage: python3 gpt2_reference.py EXPORT_DIR EXPORT_ZIP CASES_JSON
CASES_JSON (written by tests/unit/pytorch.test.ts) holds Heed's own answers;
this script prints one JSON object of what it found, and the test compares.
"""
import json
import math
import re
import struct
import sys
import zipfile

import jinja2.sandbox
import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n :]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        t = torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[entry["dtype"]])
        tensors[name] = (entry["dtype"], t.reshape(entry["shape"]).to(torch.float64))
    return tensors


def gelu(x, kind):
    if kind == "gelu":  # exact: x * Phi(x)
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if kind in ("gelu_new", "gelu_pytorch_tanh"):  # GPT-2's tanh approximation
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    raise ValueError(f"unknown activation {kind}")


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * g + b


class GPT2:
    def __init__(self, folder):
        with open(f"{folder}/config.json") as f:
            self.cfg = json.load(f)
        tensors = read_safetensors(f"{folder}/model.safetensors")
        self.w = {name: t for name, (_, t) in tensors.items()}
        self.dtypes = sorted({d for d, _ in tensors.values()})

    def logits(self, ids):
        c, w = self.cfg, self.w
        C, H, eps = c["n_embd"], c["n_head"], c["layer_norm_epsilon"]
        T, hs = len(ids), C // H
        wte = w["transformer.wte.weight"]
        head = w.get("lm_head.weight", wte)  # tied unless stored
        x = wte[ids] + w["transformer.wpe.weight"][:T]  # (T, C)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
        for i in range(c["n_layer"]):
            p = f"transformer.h.{i}."
            h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
            qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]  # Conv1D: (T, 3C)
            q, k, v = (t.reshape(T, H, hs).transpose(0, 1) for t in qkv.split(C, dim=1))  # (H, T, hs)
            att = (q @ k.transpose(1, 2)) / math.sqrt(hs)  # (H, T, T)
            att = torch.softmax(att.masked_fill(~causal, float("-inf")), dim=-1)
            y = (att @ v).transpose(0, 1).reshape(T, C)
            x = x + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
            h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
            m = gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"], c["activation_function"])
            x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
        return layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps) @ head.T  # (T, V)


class Tokenizer:
    """vocab.json plus the special tokens, as a Hugging Face tokenizer reads a rendered chat."""

    def __init__(self, folder):
        with open(f"{folder}/vocab.json") as f:
            self.vocab = json.load(f)
        self.inverse = {i: t for t, i in self.vocab.items()}
        self.specials = sorted((t for t in self.vocab if len(t) > 1), key=len, reverse=True)
        with open(f"{folder}/tokenizer_config.json") as f:
            self.config = json.load(f)
        with open(f"{folder}/tokenizer.json") as f:
            self.fast = json.load(f)

    def encode(self, text):
        ids, i = [], 0
        while i < len(text):
            special = next((s for s in self.specials if text.startswith(s, i)), None)
            tok = special or text[i]
            ids.append(self.vocab.get(tok, self.vocab["<|unk|>"]))
            i += len(tok)
        return ids

    def encode_fast(self, text):
        """tokenizer.json's pipeline as written: Replace normalizers, Split pre-tokenizer, WordLevel lookup."""
        for n in self.fast["normalizer"]["normalizers"]:
            text = text.replace(n["pattern"]["String"], n["content"])
        pieces = re.findall(self.fast["pre_tokenizer"]["pattern"]["Regex"], text)
        model = self.fast["model"]
        return [model["vocab"].get(p, model["vocab"][model["unk_token"]]) for p in pieces]

    def chat(self, messages, add_generation_prompt=True):
        env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        return env.from_string(self.config["chat_template"]).render(messages=messages, add_generation_prompt=add_generation_prompt)

    def decode(self, ids):
        return "".join(self.inverse[i] for i in ids if len(self.inverse[i]) == 1)


def main(folder, archive, cases_path):
    with open(cases_path) as f:
        cases = json.load(f)
    with zipfile.ZipFile(archive) as z:
        damaged = z.testzip()  # reads every member and checks its CRC
        same = all(z.read(name) == open(f"{folder}/{name}", "rb").read() for name in z.namelist())
        zip_report = {"damaged": damaged, "members": sorted(z.namelist()), "sameAsFolder": same}
    model, tok = GPT2(folder), Tokenizer(folder)
    with open(f"{folder}/generation_config.json") as f:
        stops = json.load(f)["eos_token_id"]
    report = {"zip": zip_report, "dtypes": model.dtypes, "tensors": sorted(model.w), "logits": [], "tokenizer": []}
    for case in cases["logits"]:
        ours = model.logits(case["ids"])
        heed = torch.tensor(case["logits"], dtype=torch.float64).reshape(ours.shape)
        report["logits"].append({"maxAbsDiff": (ours - heed).abs().max().item(), "argmaxAgree": bool((ours.argmax(-1) == heed.argmax(-1)).all())})
    for case in cases["tokenizer"]:
        report["tokenizer"].append({"tokenizerJson": tok.encode_fast(case["text"])})
    report["conversations"] = [tok.encode(tok.chat(c, add_generation_prompt=False)) for c in cases["conversations"]]
    chat = cases["chat"]
    ids = tok.encode(tok.chat(chat["messages"]))
    generated = []
    with torch.no_grad():
        while len(generated) < chat["maxNewTokens"]:
            nxt = int(model.logits(ids + generated)[-1].argmax())
            if nxt in stops:
                break
            generated.append(nxt)
    report["chat"] = {"promptIds": ids, "generated": generated, "text": tok.decode(generated)}
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:4])
