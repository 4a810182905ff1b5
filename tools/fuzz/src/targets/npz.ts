/** NumPy `.npz` archives (stored and deflated members) through `readNpz` and `readCheckpoint`. */
import { readFileSync } from "node:fs";
import { readNpz } from "@transseg/weights";
import { zipBytes } from "@transseg/weights/testing";
import { mutateNpyHeader, npyBytes, sampleArrays } from "../formats/npy-bytes.js";
import { zipLayout } from "../formats/zip-layout.js";
import { entriesOf, mutateZipEntries, rebuildZip } from "../formats/zip-mutate.js";
import { mutateBytes } from "../mutate.js";
import type { Rng } from "../rng.js";
import { fileOf, stacked, type FuzzFile, type FuzzSeed, type FuzzTarget } from "../target.js";
import { readBoth } from "./checkpoint-check.js";

const FILE = "arrays.npz";
const TEST_DATA = new URL("../../../../packages/weights/test-data/", import.meta.url);

function generated(deflate: boolean): FuzzSeed {
  const entries = sampleArrays().map(([name, descr, shape, data, fortran]) => ({ name: `params/${name}.npy`, data: npyBytes(descr, shape, data, { fortran }), deflate }));
  return { name: deflate ? "generated (deflated)" : "generated (stored)", files: [{ name: FILE, bytes: zipBytes(entries) }], main: FILE };
}

function step(input: FuzzSeed, rng: Rng): { files: FuzzFile[]; note: string } {
  const bytes = fileOf(input);
  const kind = rng.weighted([[4, "bytes"], [3, "member"], [2, "entries"]] as const);
  const entries = kind === "bytes" ? null : entriesOf(bytes);
  const out = (b: Uint8Array, note: string) => ({ files: [{ name: FILE, bytes: b }], note });
  if (!entries || !entries.length) {
    const m = mutateBytes(bytes, zipLayout(bytes), rng);
    return out(m.bytes, m.note);
  }
  if (kind === "member") {
    const i = rng.below(entries.length);
    const e = entries[i]!;
    const m = mutateNpyHeader(e.data, rng) ?? mutateBytes(e.data, { boundaries: [0, 10, 64, 128, e.data.length], fields: [] }, rng);
    const rebuilt = entries.map((x, k) => (k === i ? { ...x, data: m.bytes } : x));
    return out(rebuildZip(rebuilt, rng), `member "${e.name}": ${m.note}`);
  }
  const names = [...new Set(entries.map((e) => e.name)), "x.npy", "notes.txt", "dir/", "a/b/c.npy", ".npy"];
  const m = mutateZipEntries(entries, rng, names);
  return out(rebuildZip(m.entries, rng), m.note);
}

export const npzTarget = {
  id: "npz",
  description: "NumPy .npz: readNpz and readCheckpoint",
  errorName: "CheckpointError",
  expansion: 1100,
  seeds: () => [
    { name: "arrays.npz (numpy)", files: [{ name: FILE, bytes: new Uint8Array(readFileSync(new URL("arrays.npz", TEST_DATA))) }], main: FILE },
    { name: "arrays_c.npz (numpy, compressed)", files: [{ name: FILE, bytes: new Uint8Array(readFileSync(new URL("arrays_c.npz", TEST_DATA))) }], main: FILE },
    generated(false),
    generated(true),
  ],
  mutate: (seed, rng) => stacked(seed, rng, step),
  read: (path) => readBoth(path, readNpz),
} as const satisfies FuzzTarget;
