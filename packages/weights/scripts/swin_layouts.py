"""Writes random-weight Swin checkpoints in every layout the weights package reads (test fixture).

usage: swin_layouts.py OUT_DIR

torchvision's own swin_t-style model (small sizes) gives the weights; the other layouts are built
from it by their documented names (Microsoft, timm >= 0.9, Hugging Face transformers with and
without the `swin.` prefix); a Video Swin (mmaction2 `backbone.`) state dict is made with the
names and shapes of Video Swin's swin_transformer_3d.py. `canonical2d.pth` / `canonical3d.pth`
hold the expected canonical (Microsoft-named) tensors.
"""
import os
import sys

import torch
from torchvision.models.swin_transformer import SwinTransformer

out = sys.argv[1]
torch.manual_seed(0)
EMBED, DEPTHS, HEADS, WINDOW = 16, [2, 2, 4, 2], [1, 2, 2, 4], 5
tv = SwinTransformer(patch_size=[4, 4], embed_dim=EMBED, depths=DEPTHS, num_heads=HEADS, window_size=[WINDOW, WINDOW], num_classes=7)
with torch.no_grad():
    for p in tv.parameters():
        p.normal_()  # LayerNorms too: a swapped weight / bias must show
tv_sd = {k: v.clone() for k, v in tv.state_dict().items()}
torch.save(tv_sd, os.path.join(out, "torchvision.pth"))

# canonical (Microsoft) names, from torchvision's module structure
mlp = {"mlp.0": "mlp.fc1", "mlp.3": "mlp.fc2"}
canon = {}
for k, v in tv_sd.items():
    if k.endswith("relative_position_index"):
        continue
    parts = k.split(".")
    if parts[0] == "features":
        f = int(parts[1])
        if f == 0:
            canon[{"0": "patch_embed.proj", "2": "patch_embed.norm"}[parts[2]] + "." + parts[3]] = v
        elif f % 2 == 1:
            rest = ".".join(parts[3:])
            for a, b in mlp.items():
                if rest.startswith(a + "."):
                    rest = b + rest[len(a):]
            canon[f"layers.{(f - 1) // 2}.blocks.{parts[2]}.{rest}"] = v
        else:
            canon[f"layers.{f // 2 - 1}.downsample.{'.'.join(parts[2:])}"] = v
    else:
        canon[k] = v
torch.save(canon, os.path.join(out, "canonical2d.pth"))

# Microsoft: {"model": ...} with the stored index buffers (Wh*Ww x Wh*Ww) and attn_mask of shifted blocks
ms = dict(canon)
n = WINDOW * WINDOW
for s, d in enumerate(DEPTHS):
    for b in range(d):
        ms[f"layers.{s}.blocks.{b}.attn.relative_position_index"] = torch.randint(0, (2 * WINDOW - 1) ** 2, (n, n))
        if b % 2 == 1:
            ms[f"layers.{s}.blocks.{b}.attn_mask"] = torch.zeros(4, n, n)
torch.save({"model": ms, "epoch": 300}, os.path.join(out, "ms.pth"))

# timm >= 0.9: downsample at the start of the next stage, head.fc
timm = {}
for k, v in canon.items():
    if ".downsample." in k:
        s = int(k.split(".")[1])
        k = f"layers.{s + 1}." + k.split(".", 2)[2]
    elif k.startswith("head."):
        k = "head.fc." + k[5:]
    timm[k] = v
torch.save(timm, os.path.join(out, "timm.pth"))

# Hugging Face transformers
def hf(prefix):
    sd = {}
    top = {"patch_embed.proj": "embeddings.patch_embeddings.projection", "patch_embed.norm": "embeddings.norm", "norm": "layernorm"}
    blk = {"norm1": "layernorm_before", "norm2": "layernorm_after", "attn.proj": "attention.output.dense", "mlp.fc1": "intermediate.dense", "mlp.fc2": "output.dense"}
    for k, v in canon.items():
        mod, p = k.rsplit(".", 1)
        if mod in top:
            sd[prefix + top[mod] + "." + p] = v
        elif mod == "head":
            if prefix:
                sd["classifier." + p] = v
        elif ".downsample." in k:
            sd[prefix + "encoder." + k] = v
        else:
            _, s, _, b, rest = k.split(".", 4)
            at = f"{prefix}encoder.layers.{s}.blocks.{b}."
            if rest == "attn.relative_position_bias_table":
                sd[at + "attention.self.relative_position_bias_table"] = v
                sd[at + "attention.self.relative_position_index"] = torch.zeros(n * n, dtype=torch.int64)
            elif rest.startswith("attn.qkv."):
                for i, q in enumerate(["query", "key", "value"]):
                    sd[at + f"attention.self.{q}.{p}"] = v.chunk(3, 0)[i].clone()
            else:
                sd[at + blk[rest.rsplit(".", 1)[0]] + "." + p] = v
    return sd
torch.save(hf("swin."), os.path.join(out, "hf-classifier.pth"))
torch.save(hf(""), os.path.join(out, "hf-model.pth"))

# Video Swin (mmaction2 Recognizer3D): backbone. + swin_transformer_3d.py names, cls_head.fc_cls
E3, D3, H3, W3, P3 = 8, [2, 2], [1, 2], (4, 3, 3), (2, 4, 4)
c3 = {}
c3["patch_embed.proj.weight"] = torch.randn(E3, 3, *P3)
c3["patch_embed.proj.bias"] = torch.randn(E3)
c3["patch_embed.norm.weight"] = torch.randn(E3)
c3["patch_embed.norm.bias"] = torch.randn(E3)
rows = (2 * W3[0] - 1) * (2 * W3[1] - 1) * (2 * W3[2] - 1)
for s, d in enumerate(D3):
    dim = E3 * 2 ** s
    for b in range(d):
        at = f"layers.{s}.blocks.{b}."
        for nm in ["norm1", "norm2"]:
            c3[at + nm + ".weight"] = torch.randn(dim)
            c3[at + nm + ".bias"] = torch.randn(dim)
        c3[at + "attn.relative_position_bias_table"] = torch.randn(rows, H3[s])
        c3[at + "attn.qkv.weight"] = torch.randn(3 * dim, dim)
        c3[at + "attn.qkv.bias"] = torch.randn(3 * dim)
        c3[at + "attn.proj.weight"] = torch.randn(dim, dim)
        c3[at + "attn.proj.bias"] = torch.randn(dim)
        c3[at + "mlp.fc1.weight"] = torch.randn(4 * dim, dim)
        c3[at + "mlp.fc1.bias"] = torch.randn(4 * dim)
        c3[at + "mlp.fc2.weight"] = torch.randn(dim, 4 * dim)
        c3[at + "mlp.fc2.bias"] = torch.randn(dim)
    if s < len(D3) - 1:
        c3[f"layers.{s}.downsample.reduction.weight"] = torch.randn(2 * dim, 4 * dim)
        c3[f"layers.{s}.downsample.norm.weight"] = torch.randn(4 * dim)
        c3[f"layers.{s}.downsample.norm.bias"] = torch.randn(4 * dim)
c3["norm.weight"] = torch.randn(E3 * 2 ** (len(D3) - 1))
c3["norm.bias"] = torch.randn(E3 * 2 ** (len(D3) - 1))
video = {"backbone." + k: v for k, v in c3.items()}
nw = W3[0] * W3[1] * W3[2]
for s, d in enumerate(D3):
    for b in range(d):
        video[f"backbone.layers.{s}.blocks.{b}.attn.relative_position_index"] = torch.zeros(nw, nw, dtype=torch.int64)
video["cls_head.fc_cls.weight"] = torch.randn(5, E3 * 2)
video["cls_head.fc_cls.bias"] = torch.randn(5)
c3["head.weight"] = video["cls_head.fc_cls.weight"]
c3["head.bias"] = video["cls_head.fc_cls.bias"]
torch.save({"meta": {"epoch": 30}, "state_dict": video}, os.path.join(out, "video-swin.pth"))
torch.save(c3, os.path.join(out, "canonical3d.pth"))
