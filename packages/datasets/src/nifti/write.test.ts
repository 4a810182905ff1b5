import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { DATATYPES, readNifti, VolumeError, writeNifti, type VolumeData, type VolumeDatatype, type VolumeInput } from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "nifti-write-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Deterministic values covering each type's extremes. */
function sample(dt: VolumeDatatype, n: number): VolumeData {
  const info = DATATYPES[dt];
  const out = new info.array(n);
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    out[i] = info.range ? Math.floor(info.range[0] + rand() * (info.range[1] - info.range[0] + 1)) : (rand() - 0.5) * 1e4;
  }
  if (info.range) { out[0] = info.range[0]; out[1] = info.range[1]; }
  return out;
}

function rotation(a: number, b: number): number[][] {
  const rz = [[Math.cos(a), -Math.sin(a), 0], [Math.sin(a), Math.cos(a), 0], [0, 0, 1]];
  const rx = [[1, 0, 0], [0, Math.cos(b), -Math.sin(b)], [0, Math.sin(b), Math.cos(b)]];
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => rz[i]![0]! * rx[0]![j]! + rz[i]![1]! * rx[1]![j]! + rz[i]![2]! * rx[2]![j]!));
}

/** An oblique affine with spacing (0.7, 0.8, 3); left-handed when `flip`. */
function oblique(flip: boolean): number[][] {
  const r = rotation(0.4, -0.3);
  const sp = [flip ? -0.7 : 0.7, 0.8, 3];
  return [...[0, 1, 2].map((i) => [r[i]![0]! * sp[0]!, r[i]![1]! * sp[1]!, r[i]![2]! * sp[2]!, [-100.25, 12.5, 40][i]!]), [0, 0, 0, 1]];
}

const f32 = (m: readonly (readonly number[])[]) => m.map((r) => r.map(Math.fround));

interface Written { path: string; input: VolumeInput }
const written: Written[] = [];

describe("writeNifti → readNifti round trips", () => {
  for (const dt of Object.keys(DATATYPES) as VolumeDatatype[]) {
    for (const ext of [".nii", ".nii.gz"]) {
      const four = dt === "float32" || dt === "int16";
      it(`${dt} ${ext}${four ? " (4D)" : ""}`, async () => {
        const shape = four ? [5, 4, 3, 2] : [6, 5, 4];
        const input: VolumeInput = { data: sample(dt, shape.reduce((a, b) => a * b)), shape, affine: oblique(dt.startsWith("u")) };
        const path = join(tmp, `rt_${dt}${ext}`);
        await writeNifti(path, input);
        written.push({ path, input });
        const v = await readNifti(path);
        expect(v.datatype).toBe(dt);
        expect(v.data.constructor).toBe(input.data.constructor);
        expect(Array.from(v.data)).toEqual(Array.from(input.data));
        expect(v.shape).toEqual(shape);
        expect(v.affine).toEqual(f32(input.affine!));
        expect(v.spacing).toEqual([0.7, 0.8, 3].map(Math.fround));
        // The qform (quaternion) reproduces the affine to float32 precision.
        const q = v.header!.qform!;
        for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(Math.abs(q[i]![j]! - input.affine![i]![j]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(input.affine![i]![j]!)));
        expect(v.header!.pixdim[0]).toBe(dt.startsWith("u") ? -1 : 1);
      });
    }
  }

  it("writes a correct 352-byte NIfTI-1 prefix", async () => {
    const path = join(tmp, "hdr.nii");
    const data = new Int16Array(4 * 3 * 2).map((_, i) => i - 7);
    await writeNifti(path, { data, shape: [4, 3, 2], spacing: [0.5, 0.75, 2] });
    const b = readFileSync(path);
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    expect(b.length).toBe(352 + data.byteLength);
    expect(v.getInt32(0, true)).toBe(348);
    expect([0, 1, 2, 3].map((i) => v.getInt16(40 + 2 * i, true))).toEqual([3, 4, 3, 2]);
    expect(v.getInt16(70, true)).toBe(4);
    expect(v.getInt16(72, true)).toBe(16);
    expect([0, 1, 2, 3].map((i) => v.getFloat32(76 + 4 * i, true))).toEqual([1, 0.5, 0.75, 2]);
    expect(v.getFloat32(108, true)).toBe(352);
    expect([v.getFloat32(112, true), v.getFloat32(116, true)]).toEqual([1, 0]);
    expect(b[123]).toBe(2);
    expect([v.getInt16(252, true), v.getInt16(254, true)]).toEqual([1, 1]);
    expect([256, 260, 264].map((o) => v.getFloat32(o, true))).toEqual([0, 0, 0]);
    expect([280, 300, 320].map((o) => v.getFloat32(o, true))).toEqual([0.5, 0.75, 2]);
    expect(b.subarray(344, 352)).toEqual(Buffer.from([0x6e, 0x2b, 0x31, 0, 0, 0, 0, 0]));
    expect(new Int16Array(b.buffer.slice(b.byteOffset + 352, b.byteOffset + b.length))).toEqual(data);
  });

  it("compresses by extension and leaves no temporary file", async () => {
    const path = join(tmp, "atomic", "x.nii.gz");
    rmSync(join(tmp, "atomic"), { recursive: true, force: true });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(tmp, "atomic"));
    writeFileSync(path, "old contents");
    await writeNifti(path, { data: new Uint8Array(24).fill(3), shape: [2, 3, 4] });
    const raw = gunzipSync(readFileSync(path));
    expect(raw.length).toBe(352 + 24);
    expect(readdirSync(join(tmp, "atomic"))).toEqual(["x.nii.gz"]);
    await expect(writeNifti(join(tmp, "atomic", "bad.nii"), { data: new Uint8Array(5), shape: [2, 3, 4] })).rejects.toThrow(VolumeError);
    expect(readdirSync(join(tmp, "atomic"))).toEqual(["x.nii.gz"]);
  });

  it("converts to a requested datatype with rounding and a range check", async () => {
    const path = join(tmp, "conv.nii");
    await writeNifti(path, { data: new Float32Array([0.4, 1.6, 254.5, 2]), shape: [2, 2, 1], datatype: "uint8" });
    const v = await readNifti(path);
    expect(v.datatype).toBe("uint8");
    expect(Array.from(v.data)).toEqual([0, 2, 255, 2]);
    await expect(writeNifti(path, { data: new Float32Array([0, 300, 1, 2]), shape: [2, 2, 1], datatype: "uint8" }))
      .rejects.toThrow(`${path}: value 300 at index 1 does not fit uint8`);
  });

  it("rejects inconsistent input with one-line messages", async () => {
    const p = join(tmp, "bad.nii");
    await expect(writeNifti(p, { data: new Uint8Array(6), shape: [2, 3] })).rejects.toThrow(`${p}: shape [2, 3] must have 3 or 4 dims`);
    await expect(writeNifti(p, { data: new Uint8Array(6), shape: [2, 3, 1], spacing: [1, 2, 3], affine: oblique(false) }))
      .rejects.toThrow(`${p}: spacing [1, 2, 3] does not match the affine's voxel sizes [0.7, 0.8, 3]`);
    await expect(writeNifti(p, { data: new Uint8Array(6), shape: [2, 3, 1], datatype: "unit8" as VolumeDatatype }))
      .rejects.toThrow(`${p}: unknown datatype "unit8"; did you mean "uint8"? valid: uint8, int8, int16, uint16, int32, uint32, float32, float64`);
  });
});

function findNibabel(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(py, ["-c", "import nibabel, numpy"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return null;
}
const python = findNibabel();
if (!python) console.warn("[nifti] skipping the nibabel read-back test: no python3 with nibabel + numpy");

describe.skipIf(!python)("nibabel reads our files back", () => {
  it("identical data and affine, a header nibabel finds nothing to fix", () => {
    expect(written.length).toBe(16);
    const script = `
import json, sys
import nibabel as nib, numpy as np
out = []
for p in sys.argv[1:]:
    img = nib.load(p)
    d = np.asanyarray(img.dataobj)
    out.append({"dtype": d.dtype.name, "shape": list(d.shape), "affine": img.affine.tolist(),
                "qform": img.get_qform().tolist(), "data": d.ravel(order="F").tolist(),
                "diagnose": nib.Nifti1Header.diagnose_binaryblock(img.header.binaryblock)})
print(json.dumps(out))
`;
    const r = spawnSync(python!, ["-c", script, ...written.map((w) => w.path)], { encoding: "utf8", maxBuffer: 1 << 26 });
    expect(r.stderr).toBe("");
    const res = JSON.parse(r.stdout) as { dtype: string; shape: number[]; affine: number[][]; qform: number[][]; data: number[]; diagnose: string }[];
    res.forEach((n, k) => {
      const w = written[k]!;
      expect(n.dtype).toBe(Object.keys(DATATYPES).find((d) => w.input.data instanceof DATATYPES[d as VolumeDatatype].array));
      expect(n.shape).toEqual([...w.input.shape]);
      expect(n.data).toEqual(Array.from(w.input.data));
      expect(n.affine).toEqual(f32(w.input.affine!));
      for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(Math.abs(n.qform[i]![j]! - w.input.affine![i]![j]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w.input.affine![i]![j]!)));
      expect(n.diagnose).toBe("");
    });
  });
});
