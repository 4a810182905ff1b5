"""Writes the small checkpoints the @transseg/weights tests read (committed; tests never run python).

usage: python3 make_pth.py [OUTDIR]   (default: this folder; needs torch and numpy)

Values follow simple formulas so the tests can compute what to expect:
  views.pth      {"state_dict": {"module.<name>": tensor}, "epoch": 3, "meta": {...}} with views
                 (transposed, strided, offset) on one shared storage, and every supported dtype
  legacy.pth     the same kind of dict saved in the legacy (non-zip) format
  arrays.npz     np.savez: C order, Fortran order, big endian, '/'-separated names
  arrays_c.npz   the same, np.savez_compressed (deflated members)
  single.npy     one big-endian, Fortran-order int32 array
"""
import collections
import os
import sys

import numpy as np
import torch


def views_state_dict():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8  # base[i, j] = (6 i + j) / 8
    sd = collections.OrderedDict()
    sd["module.base"] = base
    sd["module.transposed"] = base.t()            # [6, 4], stride (1, 6)
    sd["module.row2"] = base[2]                   # [6], storage offset 12
    sd["module.every_other"] = base[1:, ::2]      # [3, 3], offset 6, stride (6, 2)
    half = torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4 - 0.5
    sd["module.f16"] = half.half()
    sd["module.bf16"] = half.bfloat16()
    sd["module.f16_t"] = half.half().t()          # non-contiguous 2-byte view
    sd["module.f64"] = torch.arange(5, dtype=torch.float64) * 0.1
    sd["module.i64"] = torch.tensor([1, -2, 2 ** 40 + 3, -(2 ** 62)], dtype=torch.int64)
    sd["module.i64_t"] = torch.arange(6, dtype=torch.int64).reshape(2, 3).t()  # 8-byte view
    sd["module.i32"] = torch.tensor([-7, 8], dtype=torch.int32)
    sd["module.i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    sd["module.i8"] = torch.tensor([-5, 5], dtype=torch.int8)
    sd["module.u8"] = torch.tensor([0, 255], dtype=torch.uint8)
    sd["module.bool"] = torch.tensor([True, False, True])
    sd["module.scalar"] = torch.tensor(2.5)
    sd["module.empty"] = torch.zeros(0, 3)
    return sd


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.save({"state_dict": views_state_dict(), "epoch": 3, "meta": {"note": "views", "lr": 0.5}},
               f"{out}/views.pth")
    torch.save({"model": {"w": torch.ones(2)}}, f"{out}/legacy.pth", _use_new_zipfile_serialization=False)

    arrays = {
        "params/embedding/kernel": np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 4,
        "params/fortran": np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4)),
        "params/big": np.arange(6, dtype=">f4").reshape(2, 3),
        "params/i64": np.array([-1, 2 ** 40], dtype=np.int64),
        "params/mask": np.array([True, False]),
    }
    np.savez(f"{out}/arrays.npz", **arrays)
    np.savez_compressed(f"{out}/arrays_c.npz", **arrays)
    np.save(f"{out}/single.npy", np.asfortranarray(np.arange(6, dtype=">i4").reshape(2, 3)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
