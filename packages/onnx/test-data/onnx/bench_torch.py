"""PyTorch CPU baseline for benchmarkOnnx: the reference SegModel (shared/ref/transseg_ref.py)
as BEiT-base + UPerNet at 512x512x5, 14 classes, random weights, inference mode.

usage: /usr/bin/python3 bench_torch.py [THREADS=2] [BATCHES=1,4] [RUNS=3] [REF_DIR]
Prints seconds per slice (median of RUNS timed runs after one warm-up) per batch size.

With BATCHES = "serve" it loads the model, prints "ready", then for every batch size read
from stdin runs one forward pass and prints its wall time in seconds (benchmarkOnnx's
`baseline`: PyTorch and ONNX Runtime runs interleaved, so both see the same machine load).
"""
import os
import statistics
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
serve = len(sys.argv) > 2 and sys.argv[2] == "serve"
batches = [] if serve else [int(b) for b in (sys.argv[2] if len(sys.argv) > 2 else "1,4").split(",")]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
ref = sys.argv[4] if len(sys.argv) > 4 else os.path.join(here, "../../../../../shared/ref")
sys.path.insert(0, os.path.abspath(ref))

import torch  # noqa: E402
from transseg_ref import SegModel, randomize_  # noqa: E402

torch.set_num_threads(threads)
cfg = dict(kind="beit", dim=768, depth=12, heads=12, mlp_ratio=4.0, patch=16, window=5, in_channels=1,
           img=(512, 512), channels=768, classes=14, layer_idxs=[3, 5, 7, 11])
model = randomize_(SegModel(cfg), 0).eval()
if serve:
    print("ready", flush=True)
    with torch.inference_mode():
        for line in sys.stdin:
            b = int(line)
            x = torch.rand((b, 1, 5, 512, 512), generator=torch.Generator().manual_seed(b))
            t0 = time.perf_counter()
            model(x)
            print(f"{time.perf_counter() - t0:.6f}", flush=True)
    sys.exit(0)
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
with torch.inference_mode():
    for b in batches:
        x = torch.rand((b, 1, 5, 512, 512), generator=torch.Generator().manual_seed(b))
        model(x)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - t0)
        per = statistics.median(times) / b
        print(f"batch {b}: {per:.3f} s/slice ({', '.join(f'{t:.2f}' for t in times)} s per run)", flush=True)
