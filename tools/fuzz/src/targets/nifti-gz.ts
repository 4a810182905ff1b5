/**
 * `.nii.gz` files through `readNifti` and `readNiftiSync`: NIfTI mutations under a fresh gzip
 * stream, damage to the gzip stream itself (header flags, CRC, ISIZE, cuts), multi-member
 * streams, decompression bombs (valid header, megabytes of zeros after the voxels) and headers
 * claiming more voxels than the stream holds, with ISIZE forged to agree.
 */
import { readNifti, readNiftiSync } from "@transseg/datasets";
import { gunzipSync, gzipSync } from "node:zlib";
import { claimedBytes, mutateNiftiHeader, niftiLayout } from "../formats/nifti-layout.js";
import { mutateBytes, type Field, type Layout } from "../mutate.js";
import type { Rng } from "../rng.js";
import { fileOf, stacked, type FuzzSeed, type FuzzTarget } from "../target.js";
import { checkVolume, niftiSeedBytes } from "./nifti-seeds.js";

const NAME = "volume.nii.gz";

function gzipLayout(bytes: Uint8Array): Layout {
  const n = bytes.length;
  const fields: Field[] = [
    { name: "gzip.flags", at: 3, width: 1, kind: "uint", little: true },
    { name: "gzip.method", at: 2, width: 1, kind: "uint", little: true },
    { name: "gzip.crc32", at: n - 8, width: 4, kind: "uint", little: true },
    { name: "gzip.isize", at: n - 4, width: 4, kind: "uint", little: true },
  ];
  return { boundaries: [0, 2, 10, 11, n - 8, n - 4, n], fields: fields.filter((f) => f.at >= 0) };
}

const gz = (raw: Uint8Array, rng: Rng) => new Uint8Array(gzipSync(raw, { level: rng.int(1, 9) }));

function inflated(bytes: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch {
    return null;
  }
}

function step(input: FuzzSeed, rng: Rng): { files: { name: string; bytes: Uint8Array }[]; note: string } {
  const bytes = fileOf(input);
  const raw = inflated(bytes);
  const kind = rng.weighted([[4, "raw"], [3, "stream"], [1, "bomb"], [1, "claim"], [1, "members"]] as const);
  const out = (b: Uint8Array, note: string) => ({ files: [{ name: NAME, bytes: b }], note });
  if (kind === "stream" || !raw) {
    const m = mutateBytes(bytes, gzipLayout(bytes), rng);
    return out(m.bytes, `gzip ${m.note}`);
  }
  if (kind === "raw") {
    const m = rng.chance(0.5) ? mutateNiftiHeader(raw, rng) : mutateBytes(raw, niftiLayout(raw), rng);
    return out(gz(m.bytes, rng), `inflated ${m.note}`);
  }
  if (kind === "bomb") {
    const extra = rng.pick([1, 100, 4096, 65_536, 1 << 20, 8 << 20]);
    const b = new Uint8Array(raw.length + extra);
    b.set(raw);
    return out(new Uint8Array(gzipSync(b, { level: 9 })), `bomb: ${extra} zero bytes after the voxels`);
  }
  if (kind === "claim") {
    // grow the dims, then forge ISIZE to equal what the header now claims (mod 2^32)
    const m = mutateNiftiHeader(raw, rng, "grow");
    const b = gz(m.bytes, rng);
    const claimed = claimedBytes(m.bytes);
    new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(b.length - 4, claimed % 2 ** 32, true);
    return out(b, `claim ${m.note}, isize := ${claimed % 2 ** 32}`);
  }
  const cut = rng.int(0, raw.length);
  const a = gz(raw.subarray(0, cut), rng), c = gz(raw.subarray(cut), rng);
  const both = new Uint8Array(a.length + c.length);
  both.set(a);
  both.set(c, a.length);
  return out(both, `two gzip members split at ${cut}`);
}

export const niftiGzTarget = {
  id: "nifti-gz",
  description: "gzip-compressed NIfTI-1/2 .nii.gz: readNifti and readNiftiSync",
  errorName: "VolumeError",
  // deflate expands at most ~1032:1, then int8/uint8 scaled to float32 (×4)
  expansion: 1032 * 4 + 64,
  seeds: () =>
    niftiSeedBytes().map((s) => ({ name: `${s.name}.gz`, files: [{ name: NAME, bytes: s.gz ?? new Uint8Array(gzipSync(s.bytes)) }], main: NAME })),
  mutate: (seed, rng) => stacked(seed, rng, step),
  async read(path) {
    const a = checkVolume(await readNifti(path));
    return a ?? checkVolume(readNiftiSync(path));
  },
} as const satisfies FuzzTarget;
