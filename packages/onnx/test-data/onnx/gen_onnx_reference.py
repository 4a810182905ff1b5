"""Writes the ONNX-export reference files of this folder with the PyTorch reference model
(shared/ref/transseg_ref.py): configurations the shared fixtures do not cover.

  gd3_beit      BEiT, window 9, patch depth 3 (Gd = 3, random full 3D relative position
                tables), 64x64, UPerNet. transseg_ref.SegModel reshapes Gd > 1 features to
                gd*dim channels, which a 2D head cannot take, so the model is composed here
                from its parts the way the TypeScript model feeds 2D decoders: Encoder3D ->
                mean over the depth tokens -> UPerHead.
  force2d_vit   ViT "w/o D" (force_2d: centre slice, patch depth 1), window 5, 64x96 (a
                non-square grid: uniform and non-uniform adaptive pooling bins), SegModel.

Each gives NAME.safetensors (transseg-seg/1: state dict + config in __metadata__.transseg)
and NAME_io.safetensors (input, logits). Small on purpose (each file < 300 KB).

usage: /usr/bin/python3 gen_onnx_reference.py [REF_DIR]   (default: <repo>/../shared/ref)
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../../shared/ref")
sys.path.insert(0, os.path.abspath(ref))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from transseg_ref import Encoder3D, SegModel, UPerHead, randomize_, save_safetensors, state_dict_for_disk  # noqa: E402


class DepthMeanSeg(nn.Module):
    """Encoder3D with Gd > 1, features averaged over depth tokens, then UPerHead."""

    def __init__(self, cfg):
        super().__init__()
        self.encoder = Encoder3D(in_channels=cfg["in_channels"], img=(cfg["window"], *cfg["img"]),
                                 patch=(cfg["patch_depth"], cfg["patch"], cfg["patch"]), dim=cfg["dim"],
                                 depth=cfg["depth"], heads=cfg["heads"], kind=cfg["kind"])
        self.decoder = UPerHead(cfg["dim"], cfg["channels"], cfg["classes"], layer_idxs=cfg["layer_idxs"])

    def forward(self, x):
        b = x.shape[0]
        gd, gh, gw = self.encoder.grid
        feats = [f.reshape(b, gd, gh, gw, -1).mean(1).permute(0, 3, 1, 2) for f in self.encoder(x)]
        return self.decoder(feats)


def seg_config(c):
    enc = {k: c[k] for k in ("kind", "dim", "depth", "heads", "patch", "window", "in_channels")}
    enc.update(mlp_ratio=4.0, img=list(c["img"]))
    if "patch_depth" in c:
        enc["patch_depth"] = c["patch_depth"]
    if c.get("force_2d"):
        enc["force_2d"] = True
    return {"format": "transseg-seg/1", "encoder": enc,
            "decoder": {"kind": "upernet", "channels": c["channels"], "layer_idxs": c["layer_idxs"]},
            "classes": c["classes"]}


def write(name, model, cfg, seed):
    randomize_(model, seed)
    model.eval()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.rand((1, cfg["in_channels"], cfg["window"], *cfg["img"]), generator=g)
    with torch.no_grad():
        logits = model(x)
    disk = {k: v for k, v in state_dict_for_disk(model).items() if not k.endswith("num_batches_tracked")}
    save_safetensors(os.path.join(here, f"{name}.safetensors"), disk, metadata={"transseg": json.dumps(seg_config(cfg))})
    save_safetensors(os.path.join(here, f"{name}_io.safetensors"), {"input": x, "logits": logits})
    print(name, tuple(x.shape), "->", tuple(logits.shape))


SMALL = dict(in_channels=1, patch=16, dim=16, depth=2, heads=2, channels=8, classes=3, layer_idxs=[0, 1, 1, 1])

gd3 = dict(SMALL, kind="beit", window=9, patch_depth=3, img=(64, 64))
write("gd3_beit", DepthMeanSeg(gd3), gd3, 31)

f2d = dict(SMALL, kind="vit", window=5, force_2d=True, img=(64, 96))
write("force2d_vit", SegModel(dict(f2d)), f2d, 41)
