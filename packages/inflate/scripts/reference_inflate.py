"""Runs the PyTorch reference inflation (shared/ref/transseg_ref.py inflate_state_dict) for the tests of
@transseg/inflate, on cases the shipped fixtures do not cover (patch depth < window, RGB kept, ...).

usage: python3 reference_inflate.py REF_DIR JOBS_JSON
JOBS_JSON: [{"input": IN.safetensors, "output": OUT.safetensors, "depth": window, "strategy": id,
             "in_channels": C, "src_grid": [h, w], "dst_grid": [h, w], "grid_d": Gd}, ...]
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from transseg_ref import inflate_state_dict, load_safetensors, save_safetensors  # noqa: E402

for job in json.loads(sys.argv[2]):
    sd, _ = load_safetensors(job["input"])
    out = inflate_state_dict(sd, depth=job["depth"], strategy=job["strategy"], in_channels=job["in_channels"],
                             src_grid=tuple(job["src_grid"]), dst_grid=tuple(job["dst_grid"]), grid_d=job["grid_d"])
    save_safetensors(job["output"], {k: v.contiguous() for k, v in out.items()})
