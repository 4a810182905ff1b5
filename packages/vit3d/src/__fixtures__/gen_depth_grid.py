"""Writes the Gd > 1 encoder fixtures (depth_grid_{beit,vit}.safetensors) with the PyTorch
reference of shared/ref/transseg_ref.py: window 9, patch depth 3 (Gd = 3), 32x32, dim 32.

usage: /usr/bin/python3 gen_depth_grid.py [REF_DIR]   (default: ../../../../../shared/ref)
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../../shared/ref")
sys.path.insert(0, os.path.abspath(ref))

import torch  # noqa: E402
from transseg_ref import Encoder3D, randomize_, save_safetensors, state_dict_for_disk  # noqa: E402

CFG = dict(in_channels=1, window=9, patch_depth=3, img=(32, 32), patch=16, dim=32, depth=2, heads=2)

for i, kind in enumerate(("beit", "vit")):
    enc = Encoder3D(in_channels=CFG["in_channels"], img=(CFG["window"], *CFG["img"]),
                    patch=(CFG["patch_depth"], CFG["patch"], CFG["patch"]), dim=CFG["dim"],
                    depth=CFG["depth"], heads=CFG["heads"], kind=kind)
    randomize_(enc, 100 + i)
    enc.eval()
    g = torch.Generator().manual_seed(200 + i)
    x = torch.rand((2, CFG["in_channels"], CFG["window"], *CFG["img"]), generator=g)
    with torch.no_grad():
        feats = enc(x)
    tensors = {f"weights.{k}": v for k, v in state_dict_for_disk(enc).items()}
    tensors["input"] = x
    for j, f in enumerate(feats):
        tensors[f"features.{j}"] = f
    meta = {"config": json.dumps({**CFG, "kind": kind, "img": list(CFG["img"])})}
    save_safetensors(os.path.join(here, f"depth_grid_{kind}.safetensors"), tensors, metadata=meta)
    print(kind, {k: list(v.shape) for k, v in tensors.items() if not k.startswith("weights.blocks")})
