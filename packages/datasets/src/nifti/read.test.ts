import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { orientationCode, parseNifti, readNifti, readNiftiSync, startReadNifti, volumeStats } from "./index.js";

const DIR = fileURLToPath(new URL("../../test-data/nifti/", import.meta.url));

interface Expected {
  file: string;
  note: string;
  shape: number[];
  dtype: string;
  endianness: "<" | ">";
  affine: number[][];
  spacing_mm: number[];
  axcodes: string;
  sum: number;
  min: number;
  max: number;
  mean: number;
  data: number[];
  affine_method1?: number[][];
  qform?: number[][];
  sform?: number[][];
}

const cases: Expected[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as Expected);

/** Our datatype for nibabel's dataobj dtype: scaled small ints and float32 become float32, int64 labels int32. */
function ourDatatype(e: Expected): string {
  if (e.dtype === "int64") return "int32";
  if (e.dtype === "float64" && /scl_slope/.test(e.note)) return "float32";
  return e.dtype;
}

describe("readNifti matches nibabel on the generated fixtures", () => {
  it("has the fixtures (regenerate with packages/datasets/test-data/make_nifti.py)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const e of cases) {
    it(`${e.file}: ${e.note}`, async () => {
      const v = await readNifti(join(DIR, e.file));
      expect(v.shape).toEqual(e.shape);
      expect(v.datatype).toBe(ourDatatype(e));
      expect(v.header!.littleEndian).toBe(e.endianness === "<");
      expect(v.header!.niftiVersion).toBe(e.file.startsWith("nifti2") ? 2 : 1);
      // Voxels: exact. Scaled float32 output is nibabel's float64 value rounded once to float32.
      const want = v.datatype === "float32" && e.dtype === "float64" ? e.data.map(Math.fround) : e.data;
      expect(Array.from(v.data)).toEqual(want);
      // Spacing: pixdim in mm, exact (same float64 operations as the script).
      expect(v.spacing).toEqual(e.spacing_mm);
      // Affine: sform values are exact; qform ones go through the quaternion (tolerance 1e-12 mm).
      const affine = e.affine_method1 ?? e.affine;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(v.affine[i]![j]! - affine[i]![j]!)).toBeLessThanOrEqual(1e-12);
      if (e.qform) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(v.header!.qform![i]![j]! - e.qform[i]![j]!)).toBeLessThanOrEqual(1e-12);
      expect(orientationCode(e.affine)).toBe(e.axcodes);
      const s = volumeStats(v);
      const round = v.datatype === "float32" && e.dtype === "float64" ? Math.fround : (x: number) => x;
      expect(s.min).toBe(round(e.min));
      expect(s.max).toBe(round(e.max));
      expect(s.count).toBe(e.data.length);
      expect(Math.abs(s.mean - e.mean)).toBeLessThanOrEqual(Math.abs(e.mean) * 1e-6 + 1e-9);
    });
  }

  it("no_transform.nii: method 1 affine diag(pixdim) (nibabel's centred base affine differs on purpose)", async () => {
    const v = await readNifti(join(DIR, "no_transform.nii"));
    expect(v.header!.affineSource).toBe("pixdim");
    expect(orientationCode(v.affine)).toBe("RAS");
  });

  it("qform_sform_differ: uses the sform, keeps both", async () => {
    const v = await readNifti(join(DIR, "qform_sform_differ.nii.gz"));
    expect(v.header!.affineSource).toBe("sform");
    expect(v.header!.qformCode).toBe(1);
    expect(v.header!.sformCode).toBe(2);
    expect(v.header!.qform).not.toBeNull();
  });

  it("int8_units_meter: spacing converted from metres to mm, affine left as stored", async () => {
    const v = await readNifti(join(DIR, "int8_units_meter.nii"));
    expect(v.header!.spatialUnit).toBe("m");
    expect(v.spacing.map((x) => +x.toFixed(6))).toEqual([1, 2, 3]);
    expect(v.affine[0]![0]).toBe(Math.fround(0.001));
  });

  it("parseNifti and readNiftiSync give the same volume as readNifti, without changing the input bytes", async () => {
    for (const f of ["be_int16.nii", "int16_oblique.nii.gz", "nifti2_be_int32_4d.nii.gz"]) {
      const bytes = readFileSync(join(DIR, f));
      const before = Buffer.from(bytes);
      const a = parseNifti(bytes, f);
      const b = readNiftiSync(join(DIR, f));
      const c = await readNifti(join(DIR, f));
      expect(Array.from(a.data)).toEqual(Array.from(c.data));
      expect(Array.from(b.data)).toEqual(Array.from(c.data));
      expect(a.affine).toEqual(c.affine);
      expect(bytes.equals(before)).toBe(true);
    }
  });

  it("startReadNifti: the same volume as readNifti, the file read before it returns", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "nifti-start-"));
    try {
      for (const f of ["be_int16.nii", "int16_oblique.nii.gz", "nifti2_be_int32_4d.nii.gz", "labels_int64.nii.gz"]) {
        const copy = join(tmp, f);
        copyFileSync(join(DIR, f), copy);
        const started = startReadNifti(copy);
        rmSync(copy); // gone before the promise is awaited: its bytes were already read
        const [s, r] = [await started, await readNifti(join(DIR, f))];
        expect([s.shape, s.spacing, s.affine, s.datatype, s.header?.datatypeCode]).toEqual([r.shape, r.spacing, r.affine, r.datatype, r.header!.datatypeCode]);
        expect(Array.from(s.data)).toEqual(Array.from(r.data));
      }
      await expect(startReadNifti(join(tmp, "missing.nii.gz"))).rejects.toThrow(/missing\.nii\.gz: cannot read file \(ENOENT\)/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
