/** Valid NIfTI seeds: the datasets package's test files (NIfTI-1 and -2, both byte orders) and one small volume per datatype. */
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DATATYPES, encodeNifti, type Volume, type VolumeDatatype } from "@transseg/datasets";
import type { FuzzSeed } from "../target.js";

const TEST_DATA = new URL("../../../../packages/datasets/test-data/nifti/", import.meta.url);


function generated(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const dt of Object.keys(DATATYPES) as VolumeDatatype[]) {
    const Ctor = DATATYPES[dt].array;
    const data = new Ctor(4 * 3 * 2);
    for (let i = 0; i < data.length; i++) (data as Uint8Array)[i] = i % 7;
    out.push({ name: `gen_${dt}.nii`, bytes: encodeNifti({ data, shape: [4, 3, 2], spacing: [1, 2, 3] }) });
  }
  const four = new Float32Array(3 * 2 * 2 * 2).map((_, i) => i / 3);
  out.push({ name: "gen_4d.nii", bytes: encodeNifti({ data: four, shape: [3, 2, 2, 2], affine: [[0, -2, 0, 1], [1, 0, 0, 2], [0, 0, 3, 3], [0, 0, 0, 1]] }) });
  return out;
}

/** Uncompressed `.nii` bytes of every seed (the gzip target compresses them itself and adds the `.nii.gz` files as they are). */
export function niftiSeedBytes(): { name: string; bytes: Uint8Array; gz?: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array; gz?: Uint8Array }[] = [];
  for (const name of readdirSync(TEST_DATA).sort()) {
    if (!/\.nii(\.gz)?$/.test(name) || /complex64|rgb24/.test(name)) continue; // unsupported datatypes: refused, not seeds
    const raw = readFileSync(new URL(name, TEST_DATA));
    if (name.endsWith(".gz")) out.push({ name: name.slice(0, -3), bytes: new Uint8Array(gunzipSync(raw)), gz: new Uint8Array(raw) });
    else out.push({ name, bytes: new Uint8Array(raw) });
  }
  return [...out, ...generated()];
}

export const niftiSeeds = (): FuzzSeed[] => niftiSeedBytes().map((s) => ({ name: s.name, files: [{ name: "volume.nii", bytes: s.bytes }], main: "volume.nii" }));

/** Null when a volume read from a file is well formed, else what is wrong with it. */
export function checkVolume(v: Volume): string | null {
  if (v.shape.length !== 3 && v.shape.length !== 4) return `shape has ${v.shape.length} dims`;
  if (!v.shape.every((d) => Number.isSafeInteger(d) && d > 0)) return `shape [${v.shape.join(", ")}] is not positive integers`;
  const n = v.shape.reduce((a, b) => a * b, 1);
  if (v.data.length !== n) return `data has ${v.data.length} values for shape [${v.shape.join(", ")}]`;
  if (!(v.datatype in DATATYPES) || !(v.data instanceof DATATYPES[v.datatype].array)) return `datatype ${v.datatype} does not match its data (${v.data.constructor.name})`;
  if (v.spacing.length !== 3 || v.affine.length !== 4 || !v.affine.every((r) => r.length === 4)) return "spacing or affine has the wrong size";
  return null;
}
