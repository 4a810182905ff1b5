"""Loads a transseg-seg/1 checkpoint into the PyTorch reference SegModel with strict=True and
prints JSON: {"ok": true, "logits": [...]} with the eval-mode logits of a deterministic input
(x[i] = sin(0.37 i) over the flattened [1, C, window, H, W]), for comparison with TensorFlow.js.

    /usr/bin/python3 check_torch_load.py <checkpoint.safetensors> <ref dir>
"""
import json
import math
import sys

sys.path.insert(0, sys.argv[2])
import torch  # noqa: E402
from transseg_ref import SegModel, load_safetensors  # noqa: E402

sd, meta = load_safetensors(sys.argv[1])
cfg = json.loads(meta["transseg"])
e = cfg["encoder"]
flat = {**e, "channels": cfg["decoder"]["channels"], "layer_idxs": cfg["decoder"]["layer_idxs"], "classes": cfg["classes"]}
model = SegModel(flat)
model.load_state_dict(sd, strict=True)
model.eval()
shape = [1, e["in_channels"], e["window"], e["img"][0], e["img"][1]]
n = math.prod(shape)
x = torch.tensor([math.sin(0.37 * i) for i in range(n)], dtype=torch.float32).reshape(shape)
with torch.no_grad():
    logits = model(x)
print(json.dumps({"ok": True, "shape": list(logits.shape), "logits": logits.flatten().tolist()}))
