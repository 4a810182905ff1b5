"""PyTorch reference for the bicubic resize tests of @transseg/inflate.

Reads JSON cases from stdin: [{"size": [h, w], "out": [oh, ow], "channels": c, "data": [...]}] where data
is channels-last [h, w, c]; writes the resized grids (channels-last, flattened) as a JSON list.
Uses F.interpolate(mode="bicubic", align_corners=False) in float64.
"""
import json
import sys

import torch
import torch.nn.functional as F

cases = json.load(sys.stdin)
out = []
for case in cases:
    h, w = case["size"]
    oh, ow = case["out"]
    c = case["channels"]
    x = torch.tensor(case["data"], dtype=torch.float64).reshape(1, h, w, c).permute(0, 3, 1, 2)
    y = F.interpolate(x, size=(oh, ow), mode="bicubic", align_corners=False)
    out.append(y.permute(0, 2, 3, 1).reshape(-1).tolist())
json.dump(out, sys.stdout)
