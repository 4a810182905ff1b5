"""PyTorch references of the Swin encoders, for src/encoder/swin/*.reference.test.ts.

    /usr/bin/python3 swin_reference.py torchvision <out> <variant> <H> <W> <window> <seed>
    /usr/bin/python3 swin_reference.py ref <in> <out>
    /usr/bin/python3 swin_reference.py grad <in> <out>

torchvision: a torchvision 0.14 SwinTransformer (`swin_t`, or `mini`: embed 24, depths [2, 2, 2, 2],
heads [2, 4, 6, 8], window 7) with every parameter randomised (so that LayerNorms and bias tables
matter), its weights renamed to TransSeg's names (`patch_embed.proj`, `layers.S.blocks.J.…`,
`layers.S.downsample.…`) with the 2D patch kernel centre-inflated to a window of `window` slices,
torchvision's own state dict under `tv.` (for the weights package's torchvision adapter), an input window `io.input` [1, 3, window, H, W] whose other slices are noise, and torchvision's
stage outputs on the centre slice before the final norm: `out.S` [1, Hs, Ws, Cs] (NHWC).
Also `ref.S`: the same weights through `RefSwin` below (kind swin), checking the reference itself.

ref: `RefSwin`, a Swin / Video Swin written for the tests after Microsoft's and Video Swin's code
(rank-8 window partition, torch.roll, masks by slices), on the canonical tensors of <in>
(`encoder.*`, config JSON in __metadata__.config, input `io.input`): `out.S` are the stage
outputs (`swin`: before the stage norms, depth 1; `swin3d`: the centre depth position D // 2).

grad: the gradients of sum_S <out.S, io.w.S> (RefSwin as in `ref`) with respect to every encoder
tensor (`grad.<name>`) and the input (`grad.io.input`).
"""
import json
import struct
import sys
from functools import reduce
from operator import mul

import numpy as np
import torch
import torch.nn.functional as F


def save(path, tensors, metadata=None):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float32))
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes())
        off += a.nbytes
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        assert h["dtype"] == "F32", name
        s, e = h["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[s:e], dtype=np.float32).copy().reshape(h["shape"]))
    return out, meta


# ---------------------------------------------------------------- the reference Swin / Video Swin


def window_partition(x, ws):
    b, d, h, w, c = x.shape
    x = x.view(b, d // ws[0], ws[0], h // ws[1], ws[1], w // ws[2], ws[2], c)
    return x.permute(0, 1, 3, 5, 2, 4, 6, 7).contiguous().view(-1, reduce(mul, ws), c)


def window_reverse(windows, ws, b, d, h, w):
    x = windows.view(b, d // ws[0], h // ws[1], w // ws[2], ws[0], ws[1], ws[2], -1)
    return x.permute(0, 1, 4, 2, 5, 3, 6, 7).contiguous().view(b, d, h, w, -1)


def relative_index(ws):
    coords = torch.stack(torch.meshgrid(torch.arange(ws[0]), torch.arange(ws[1]), torch.arange(ws[2]), indexing="ij"))
    flat = torch.flatten(coords, 1)
    rel = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0).contiguous()
    rel[:, :, 0] += ws[0] - 1
    rel[:, :, 1] += ws[1] - 1
    rel[:, :, 2] += ws[2] - 1
    rel[:, :, 0] *= (2 * ws[1] - 1) * (2 * ws[2] - 1)
    rel[:, :, 1] *= 2 * ws[2] - 1
    return rel.sum(-1)


def compute_mask(dp, hp, wp, ws, ss):
    img = torch.zeros((1, dp, hp, wp, 1))
    cnt = 0
    for d in (slice(-ws[0]), slice(-ws[0], -ss[0]), slice(-ss[0], None)):
        for h in (slice(-ws[1]), slice(-ws[1], -ss[1]), slice(-ss[1], None)):
            for w in (slice(-ws[2]), slice(-ws[2], -ss[2]), slice(-ss[2], None)):
                img[:, d, h, w, :] = cnt
                cnt += 1
    mw = window_partition(img, ws).squeeze(-1)
    m = mw.unsqueeze(1) - mw.unsqueeze(2)
    return m.masked_fill(m != 0, -100.0).masked_fill(m == 0, 0.0)


class RefSwin:
    def __init__(self, t, cfg):
        self.t, self.cfg = t, cfg
        self.kind = cfg["kind"]
        ws = cfg["window_size"]
        self.full = [1] + list(ws) if len(ws) == 2 else list(ws)

    def ln(self, x, name):
        return F.layer_norm(x, x.shape[-1:], self.t[name + ".weight"], self.t[name + ".bias"], 1e-5)

    def lin(self, x, name, bias=True):
        return F.linear(x, self.t[name + ".weight"], self.t.get(name + ".bias") if bias else None)

    def attention(self, x, pre, heads, ws, mask):
        b_, n, c = x.shape
        qkv = self.lin(x, pre + "qkv").reshape(b_, n, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * (c // heads) ** -0.5, qkv[1], qkv[2]
        attn = q @ k.transpose(-2, -1)
        idx = relative_index(self.full)[:n, :n].reshape(-1)
        bias = self.t[pre + "relative_position_bias_table"][idx].reshape(n, n, -1).permute(2, 0, 1)
        attn = attn + bias.unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = attn.view(b_ // nw, nw, heads, n, n) + mask.unsqueeze(1).unsqueeze(0)
            attn = attn.view(-1, heads, n, n)
        attn = attn.softmax(-1)
        return self.lin((attn @ v).transpose(1, 2).reshape(b_, n, c), pre + "proj")

    def block(self, x, pre, heads, ws, ss, mask):
        b, d, h, w, c = x.shape
        shortcut = x
        x = self.ln(x, pre + "norm1")
        pd, ph, pw = [(ws[i] - s % ws[i]) % ws[i] for i, s in enumerate((d, h, w))]
        x = F.pad(x, (0, 0, 0, pw, 0, ph, 0, pd))
        _, dp, hp, wp, _ = x.shape
        shifted = any(s > 0 for s in ss)
        if shifted:
            x = torch.roll(x, shifts=(-ss[0], -ss[1], -ss[2]), dims=(1, 2, 3))
        a = self.attention(window_partition(x, ws), pre + "attn.", heads, ws, mask if shifted else None)
        x = window_reverse(a.view(-1, *ws, c), ws, b, dp, hp, wp)
        if shifted:
            x = torch.roll(x, shifts=tuple(ss), dims=(1, 2, 3))
        x = shortcut + x[:, :d, :h, :w, :]
        return x + self.lin(F.gelu(self.lin(self.ln(x, pre + "norm2"), pre + "mlp.fc1")), pre + "mlp.fc2")

    def merge(self, x, pre):
        b, d, h, w, c = x.shape
        x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2))
        x = torch.cat([x[:, :, 0::2, 0::2], x[:, :, 1::2, 0::2], x[:, :, 0::2, 1::2], x[:, :, 1::2, 1::2]], -1)
        return self.lin(self.ln(x, pre + "norm"), pre + "reduction", bias=False)

    def forward(self, x):
        cfg, t = self.cfg, self.t
        if cfg.get("force_2d") and x.shape[2] != 1:
            x = x[:, :, x.shape[2] // 2 : x.shape[2] // 2 + 1]
        k = t["patch_embed.proj.weight"]
        kd, p = k.shape[2], k.shape[3]
        _, _, d, h, w = x.shape
        x = F.pad(x, (0, (p - w % p) % p, 0, (p - h % p) % p, 0, (kd - d % kd) % kd))
        x = F.conv3d(x, k, t["patch_embed.proj.bias"], stride=(kd, p, p)).permute(0, 2, 3, 4, 1)
        x = self.ln(x, "patch_embed.norm")
        outs = []
        for s, depth in enumerate(cfg["depths"]):
            _, d, h, w, _ = x.shape
            ws, ss = list(self.full), [v // 2 for v in self.full]
            if self.kind == "swin3d":  # Video Swin's get_window_size
                for i, size in enumerate((d, h, w)):
                    if size <= ws[i]:
                        ws[i], ss[i] = size, 0
            dp, hp, wp = [int(np.ceil(v / ws[i])) * ws[i] for i, v in enumerate((d, h, w))]
            mask = compute_mask(dp, hp, wp, tuple(ws), tuple(ss))
            for j in range(depth):
                odd = j % 2 == 1
                x = self.block(x, f"layers.{s}.blocks.{j}.", cfg["heads"][s], ws, ss if odd else [0, 0, 0], mask)
            outs.append(x[:, d // 2] if self.kind == "swin3d" else x[:, 0])
            if s < len(cfg["depths"]) - 1:
                x = self.merge(x, f"layers.{s}.downsample.")
        return outs


# ---------------------------------------------------------------- torchvision


def torchvision_case(out, variant, h, w, window, seed):
    import torchvision
    from torchvision.models.swin_transformer import SwinTransformer

    torch.manual_seed(seed)
    if variant == "swin_t":
        m, embed, depths, heads = torchvision.models.swin_t(), 96, [2, 2, 6, 2], [3, 6, 12, 24]
    else:
        embed, depths, heads = 24, [2, 2, 2, 2], [2, 4, 6, 8]
        m = SwinTransformer(patch_size=[4, 4], embed_dim=embed, depths=depths, num_heads=heads, window_size=[7, 7])
    m.eval()
    with torch.no_grad():
        for name, p in m.named_parameters():
            p.add_(torch.randn_like(p) * (0.3 if "norm" in name else 0.02 if p.dim() > 1 else 0.1))
    sd = m.state_dict()
    t = {}
    kernel = sd["features.0.0.weight"]
    k3 = torch.zeros(kernel.shape[0], kernel.shape[1], window, *kernel.shape[2:])
    k3[:, :, window // 2] = kernel
    t["patch_embed.proj.weight"] = k3
    t["patch_embed.proj.bias"] = sd["features.0.0.bias"]
    t["patch_embed.norm.weight"] = sd["features.0.2.weight"]
    t["patch_embed.norm.bias"] = sd["features.0.2.bias"]
    rename = {"norm1": "norm1", "norm2": "norm2", "attn.qkv": "attn.qkv", "attn.proj": "attn.proj", "mlp.0": "mlp.fc1", "mlp.3": "mlp.fc2"}
    for key, v in sd.items():
        parts = key.split(".")
        if parts[0] != "features" or parts[1] == "0" or key.endswith("relative_position_index"):
            continue
        k = int(parts[1])
        if k % 2 == 1:
            s, j, rest = (k - 1) // 2, parts[2], ".".join(parts[3:])
            if rest == "attn.relative_position_bias_table":
                t[f"layers.{s}.blocks.{j}.{rest}"] = v
                continue
            mod, leaf = rest.rsplit(".", 1)
            t[f"layers.{s}.blocks.{j}.{rename[mod]}.{leaf}"] = v
        else:
            t[f"layers.{k // 2 - 1}.downsample.{'.'.join(parts[2:])}"] = v
    x2d = torch.randn(1, 3, h, w)
    win = torch.randn(1, 3, window, h, w)
    win[:, :, window // 2] = x2d
    tensors = {f"encoder.{k}": v for k, v in t.items()}
    tensors.update({f"tv.{k}": v for k, v in sd.items() if not k.endswith("relative_position_index")})
    tensors["io.input"] = win
    with torch.no_grad():
        y = x2d
        for i, f in enumerate(m.features):
            y = f(y)
            if i % 2 == 1:
                tensors[f"out.{i // 2}"] = y
        cfg = {"kind": "swin", "embed_dim": embed, "depths": depths, "heads": heads, "window_size": [7, 7], "window": window}
        for i, o in enumerate(RefSwin(t, cfg).forward(win)):
            tensors[f"ref.{i}"] = o
    save(out, tensors, {"config": json.dumps({**cfg, "in_channels": 3, "img": [h, w]})})


def ref_case(inp, out):
    t, meta = load(inp)
    cfg = json.loads(meta["config"])
    enc = {k[len("encoder."):]: v for k, v in t.items() if k.startswith("encoder.")}
    with torch.no_grad():
        outs = RefSwin(enc, cfg).forward(t["io.input"])
    save(out, {f"out.{i}": o for i, o in enumerate(outs)})


def grad_case(inp, out):
    """Gradients of sum_S <out.S, io.w.S> with respect to every encoder tensor and the input."""
    t, meta = load(inp)
    cfg = json.loads(meta["config"])
    enc = {k[len("encoder."):]: v.clone().requires_grad_(True) for k, v in t.items() if k.startswith("encoder.")}
    x = t["io.input"].clone().requires_grad_(True)
    outs = RefSwin(enc, cfg).forward(x)
    loss = sum((o * t[f"io.w.{i}"]).sum() for i, o in enumerate(outs))
    loss.backward()
    grads = {f"grad.{k}": v.grad if v.grad is not None else torch.zeros_like(v) for k, v in enc.items()}
    grads["grad.io.input"] = x.grad
    grads["loss"] = loss.detach().reshape(1)
    save(out, grads)


if __name__ == "__main__":
    if sys.argv[1] == "torchvision":
        torchvision_case(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]))
    elif sys.argv[1] == "grad":
        grad_case(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "ref":
        ref_case(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {sys.argv[1]}")
