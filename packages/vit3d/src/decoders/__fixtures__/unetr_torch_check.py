"""PyTorch check of the `unetr` head (src/decoders/unetr.ts), written independently with torch's
own conv3d / conv_transpose3d / instance_norm / leaky_relu.

Usage: python3 unetr_torch_check.py case.safetensors
The file holds the head's tensors (`decoder.*`, PyTorch layouts), the encoder features `feat.I`
([B, Gd*Gh*Gw, dim], tokens in (d, h, w) order) of the blocks in `layer_idxs` order, and the
TensorFlow.js logits `logits` [B, classes, H, W]; `__metadata__.case` = {"grid": [Gd, Gh, Gw]}.
Prints {"rel_err": max|torch - tfjs| / max|tfjs|} as JSON.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", name
        start, end = info["data_offsets"]
        data = np.frombuffer(raw[8 + n + start : 8 + n + end], dtype="<f4").copy()
        out[name] = torch.from_numpy(data.reshape(info["shape"]))
    return out, meta


def main(path):
    t, meta = read_safetensors(path)
    gd, gh, gw = json.loads(meta["case"])["grid"]
    w = lambda name: t["decoder." + name]
    stages = sum(1 for k in t if k.startswith("feat."))

    def res_block(x, name):  # MONAI UnetResBlock: conv-norm-lrelu-conv-norm (+ 1x1x1 conv-norm residual), lrelu
        y = F.leaky_relu(F.instance_norm(F.conv3d(x, w(name + ".conv1.conv.weight"), padding=1), eps=1e-5), 0.01)
        y = F.instance_norm(F.conv3d(y, w(name + ".conv2.conv.weight"), padding=1), eps=1e-5)
        skip = "decoder." + name + ".conv3.conv.weight" in t
        r = F.instance_norm(F.conv3d(x, w(name + ".conv3.conv.weight")), eps=1e-5) if skip else x
        return F.leaky_relu(y + r, 0.01)

    def up(x, name):
        return F.conv_transpose3d(x, w(name), stride=(1, 2, 2))

    def volume(f):  # [B, T, dim] -> [B, dim, Gd, Gh, Gw]
        return f.reshape(f.shape[0], gd, gh, gw, f.shape[2]).permute(0, 4, 1, 2, 3)

    feats = [t["feat.%d" % i] for i in range(stages)]
    skips = {}
    for k in range(2, stages + 1):
        x = up(volume(feats[k - 2]), "encoder%d.transp_conv_init.conv.weight" % k)
        for j in range(stages - k):
            x = res_block(up(x, "encoder%d.blocks.%d.0.conv.weight" % (k, j)), "encoder%d.blocks.%d.1" % (k, j))
        skips[k] = x
    y = volume(feats[stages - 1])
    for k in range(stages + 1, 1, -1):
        y = up(y, "decoder%d.transp_conv.conv.weight" % k)
        if k > 2:
            y = torch.cat([y, skips[k - 1]], 1)
        y = res_block(y, "decoder%d.conv_block" % k)
    logits = F.conv3d(y, w("out.conv.conv.weight"), w("out.conv.conv.bias"))[:, :, gd // 2]
    want = t["logits"]
    assert logits.shape == want.shape, (tuple(logits.shape), tuple(want.shape))
    err = (logits - want).abs().max().item() / max(want.abs().max().item(), 1e-12)
    print(json.dumps({"rel_err": err}))


if __name__ == "__main__":
    with torch.no_grad():
        main(sys.argv[1])
