"""Runs the scipy reference metrics (shared/ref/metrics_ref.py) on raw volumes.

usage: python3 scipy_reference.py <metrics_ref.py> <job.json>
job.json: {"cases": [{"pred": "<file>", "gt": "<file>", "shape": [X, Y, Z], "spacing": [...],
           "classes": [1, 2]}]}; files hold uint8 labels, axis 0 fastest (NIfTI order).
Prints one JSON list (one per_class result per case): undefined -> null, infinite -> "inf".
"""
import importlib.util
import json
import math
import sys

import numpy as np

spec = importlib.util.spec_from_file_location("metrics_ref", sys.argv[1])
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

job = json.load(open(sys.argv[2]))
out = []
for case in job["cases"]:
    shape = tuple(case["shape"])
    pred = np.fromfile(case["pred"], dtype=np.uint8).reshape(shape, order="F")
    gt = np.fromfile(case["gt"], dtype=np.uint8).reshape(shape, order="F")
    out.append(ref.per_class(pred, gt, case["classes"], tuple(case["spacing"])))


def plain(o):
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [plain(v) for v in o]
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, float) and math.isinf(o):
        return "inf"
    return o


print(json.dumps(plain(out), allow_nan=False))
