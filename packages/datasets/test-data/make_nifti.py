#!/usr/bin/env python3
"""Writes the small NIfTI fixtures under test-data/nifti/ with nibabel, and beside each one
`<name>.json` holding what nibabel reads back: shape, dtype of np.asanyarray(img.dataobj),
img.affine, zooms, spacing in mm, aff2axcodes, stats and the whole data in NIfTI (Fortran)
order. The TypeScript tests compare our reader with these files and never need python.

Run: python3 packages/datasets/test-data/make_nifti.py   (needs nibabel + numpy)
"""
import gzip
import json
import os
import struct

import nibabel as nib
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nifti")
rng = np.random.default_rng(1234)

# An oblique, anisotropic affine (rotation about z then x, spacing 0.8 x 0.9 x 2.5 mm).
def oblique(spacing=(0.8, 0.9, 2.5), angles=(0.3, -0.2), offset=(-90.0, 110.0, -40.5), flip_x=False):
    a, b = angles
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    r = rz @ rx @ np.diag(spacing)
    if flip_x:
        r[:, 0] *= -1
    aff = np.eye(4)
    aff[:3, :3] = r
    aff[:3, 3] = offset
    return aff


def save(img, name):
    path = os.path.join(OUT, name)
    nib.save(img, path)
    return path


def patch(path, fmt, offset, value):
    """Overwrites one header field of an uncompressed .nii in place (byte order of the file)."""
    with open(path, "r+b") as f:
        endian = "<" if struct.unpack("<i", f.read(4))[0] in (348, 540) else ">"
        f.seek(offset)
        f.write(struct.pack(endian + fmt, value))


def gzip_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    with gzip.open(path + ".gz", "wb", compresslevel=6) as f:
        f.write(raw)
    os.remove(path)
    return path + ".gz"


UNIT_TO_MM = {"meter": 1000.0, "mm": 1.0, "micron": 0.001, "unknown": 1.0}


def expect(path, note, **extra):
    img = nib.load(path)
    data = np.asanyarray(img.dataobj)
    hdr = img.header
    spatial = hdr.get_xyzt_units()[0]
    zooms = [float(z) for z in hdr.get_zooms()[:3]]
    flat = data.ravel(order="F")
    out = {
        "file": os.path.basename(path),
        "note": note,
        "nibabel": nib.__version__,
        "shape": list(data.shape),
        "dtype": data.dtype.name,
        "endianness": hdr.endianness,
        "datatype_code": int(hdr["datatype"]),
        "affine": img.affine.tolist(),
        "zooms": zooms,
        "spacing_mm": [z * UNIT_TO_MM[spatial] for z in zooms],
        "axcodes": "".join(str(c) for c in nib.aff2axcodes(img.affine)),
        "sform_code": int(hdr["sform_code"]),
        "qform_code": int(hdr["qform_code"]),
        "sum": float(flat.astype(np.float64).sum()),
        "min": float(flat.min()),
        "max": float(flat.max()),
        "mean": float(flat.astype(np.float64).mean()),
        "data": flat.tolist(),
    }
    out.update(extra)
    with open(os.path.join(OUT, os.path.basename(path) + ".json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))

    # 3D int16, oblique affine in both sform and qform, gzip.
    d = rng.integers(-1000, 3000, size=(7, 6, 5)).astype(np.int16)
    p = save(nib.Nifti1Image(d, oblique()), "int16_oblique.nii.gz")
    expect(p, "little-endian int16, sform = qform = oblique affine")

    # 4D float32 with 3 modalities (channels last, as the Decathlon's BrainTumour).
    d = rng.normal(100, 30, size=(6, 5, 4, 3)).astype(np.float32)
    p = save(nib.Nifti1Image(d, oblique(flip_x=True)), "modalities_4d_float32.nii.gz")
    expect(p, "4D float32, 3 modalities, left-handed affine")

    # Big-endian files: int16 .nii and float64 .nii.gz.
    d = rng.integers(-30000, 30000, size=(5, 4, 3)).astype(">i2")
    hdr = nib.Nifti1Header(endianness=">")
    hdr.set_data_dtype(d.dtype)
    p = save(nib.Nifti1Image(d, np.diag([-1.5, -1.5, 3.0, 1.0]), hdr), "be_int16.nii")
    expect(p, "big-endian int16 (LPS)")
    d = rng.normal(0, 1e6, size=(4, 3, 3)).astype(">f8")
    hdr = nib.Nifti1Header(endianness=">")
    hdr.set_data_dtype(d.dtype)
    p = save(nib.Nifti1Image(d, oblique(), hdr), "be_float64.nii.gz")
    expect(p, "big-endian float64")

    # Scaled int16: raw values with scl_slope / scl_inter patched into the header.
    d = rng.integers(-2000, 2000, size=(6, 5, 4)).astype(np.int16)
    p = save(nib.Nifti1Image(d, oblique()), "scaled_int16.nii")
    patch(p, "f", 112, 0.37)
    patch(p, "f", 116, -12.5)
    p = gzip_file(p)
    expect(p, "int16 with scl_slope 0.37, scl_inter -12.5 (float32 arithmetic in nibabel)", raw_sum=float(d.astype(np.float64).sum()))
    d = rng.integers(0, 200, size=(5, 4, 3)).astype(np.uint8)
    p = save(nib.Nifti1Image(d, np.eye(4)), "scaled_uint8_slope_only.nii")
    patch(p, "f", 112, 2.0)
    patch(p, "f", 116, 0.0)
    expect(p, "uint8 with scl_slope 2, scl_inter 0")

    # NIfTI-2 (little- and big-endian).
    d = rng.normal(0, 10, size=(5, 4, 3)).astype(np.float32)
    p = save(nib.Nifti2Image(d, oblique(angles=(1.1, 0.4))), "nifti2_float32.nii")
    expect(p, "NIfTI-2 float32")
    d = rng.integers(-5, 5, size=(4, 3, 2, 2)).astype(">i4")
    hdr = nib.Nifti2Header(endianness=">")
    hdr.set_data_dtype(d.dtype)
    p = save(nib.Nifti2Image(d, np.diag([2.0, 2.0, 2.0, 1.0]), hdr), "nifti2_be_int32_4d.nii.gz")
    expect(p, "NIfTI-2 big-endian int32, 4D")

    # Differing qform and sform: the sform wins (code 2 > 0).
    d = rng.integers(0, 5, size=(4, 3, 2)).astype(np.uint8)
    img = nib.Nifti1Image(d, None)
    img.set_qform(oblique(angles=(0.7, 0.1), spacing=(1.0, 1.2, 1.4)), code=1)
    img.set_sform(oblique(angles=(-0.5, 0.9), spacing=(1.0, 1.2, 1.4), offset=(1, 2, 3)), code=2)
    p = save(img, "qform_sform_differ.nii.gz")
    expect(p, "qform (code 1) and sform (code 2) differ; the sform is used",
           qform=img.get_qform().tolist(), sform=img.get_sform().tolist())
    # qform only (sform_code 0), left-handed so qfac = -1.
    img = nib.Nifti1Image(d, None)
    img.set_qform(oblique(angles=(2.5, -1.0), flip_x=True), code=1)
    img.set_sform(None, code=0)
    p = save(img, "qform_only_qfac_neg.nii")
    expect(p, "qform only (sform_code 0), qfac -1")
    # Neither transform: NIfTI method 1 (diag(pixdim)); nibabel's base affine differs (centred, x flipped).
    img = nib.Nifti1Image(d, None)
    img.header.set_zooms((1.5, 2.0, 2.5))
    img.set_qform(None, code=0)
    img.set_sform(None, code=0)
    p = save(img, "no_transform.nii")
    expect(p, "qform_code = sform_code = 0", affine_method1=np.diag([1.5, 2.0, 2.5, 1.0]).tolist())

    # Units in metres: spacing must come out in mm.
    img = nib.Nifti1Image(d.astype(np.int8), np.diag([0.001, 0.002, 0.003, 1.0]))
    img.header.set_xyzt_units("meter", "sec")
    p = save(img, "int8_units_meter.nii")
    expect(p, "int8, xyzt_units = metre")

    # The remaining datatypes, small.
    for dt, name in [(np.uint16, "uint16"), (np.int32, "int32"), (np.uint32, "uint32"), (np.float32, "float32")]:
        info = np.iinfo(dt) if np.issubdtype(dt, np.integer) else None
        lo, hi = (info.min, info.max) if info else (-1e30, 1e30)
        d = rng.integers(lo, hi, size=(4, 3, 2), dtype=np.int64 if name != "uint32" else np.uint64, endpoint=True).astype(dt) if info else rng.normal(0, 1e3, size=(4, 3, 2)).astype(dt)
        p = save(nib.Nifti1Image(d, np.eye(4)), f"{name}.nii.gz")
        expect(p, f"{name} extremes")
    d = rng.integers(0, 14, size=(5, 4, 3)).astype(np.int64)
    p = save(nib.Nifti1Image(d, np.eye(4), dtype=np.int64), "labels_int64.nii.gz")
    expect(p, "int64 labels (read back as int32)")

    # Unsupported datatypes (for error tests; no expectation JSON).
    save(nib.Nifti1Image((rng.normal(size=(3, 3, 2)) + 1j).astype(np.complex64), np.eye(4)), "complex64.nii.gz")
    rgb = np.zeros((3, 3, 2), dtype=[("R", "u1"), ("G", "u1"), ("B", "u1")])
    save(nib.Nifti1Image(rgb, np.eye(4)), "rgb24.nii")

    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
