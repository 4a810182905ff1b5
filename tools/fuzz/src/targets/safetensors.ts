/** safetensors files through `readSafetensors` and `readCheckpoint`. */
import { readSafetensors, tensorEntry, writeSafetensors, type TensorEntry } from "@transseg/weights";
import { mutateSafetensors, safetensorsLayout } from "../formats/safetensors-parts.js";
import { mutateBytes } from "../mutate.js";
import { fileOf, stacked, type FuzzSeed, type FuzzTarget } from "../target.js";
import { bytesWrittenBy, readBoth } from "./checkpoint-check.js";

/** A few tensors of every dtype, a scalar and an empty one. */
export function sampleTensors(prefix = ""): Map<string, TensorEntry> {
  const m = new Map<string, TensorEntry>();
  m.set(`${prefix}w`, tensorEntry("F32", [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6])));
  m.set(`${prefix}h`, tensorEntry("F16", [4], Uint16Array.from([0x3c00, 0x4000, 0xc000, 0])));
  m.set(`${prefix}b`, tensorEntry("BF16", [2], Uint16Array.from([0x3f80, 0x4000])));
  m.set(`${prefix}d`, tensorEntry("F64", [1, 2], Float64Array.from([0.5, -2])));
  m.set(`${prefix}l`, tensorEntry("I64", [2, 2], BigInt64Array.from([1n, -2n, 3n, 4n])));
  m.set(`${prefix}i`, tensorEntry("I32", [3], Int32Array.from([7, 8, 9])));
  m.set(`${prefix}s`, tensorEntry("I16", [2], Int16Array.from([-1, 1])));
  m.set(`${prefix}c`, tensorEntry("I8", [2], Int8Array.from([-5, 5])));
  m.set(`${prefix}u`, tensorEntry("U8", [3], Uint8Array.from([0, 128, 255])));
  m.set(`${prefix}mask`, tensorEntry("BOOL", [3], Uint8Array.from([1, 0, 1])));
  m.set(`${prefix}scalar`, tensorEntry("F32", [], Float32Array.from([2.5])));
  m.set(`${prefix}empty`, tensorEntry("F32", [0, 3], new Float32Array(0)));
  return m;
}

const FILE = "model.safetensors";

export const safetensorsSeeds = (): FuzzSeed[] => [
  { name: "all-dtypes", files: [{ name: FILE, bytes: bytesWrittenBy(FILE, (p) => writeSafetensors(p, sampleTensors(), { metadata: { format: "pt", note: "fuzz" } })) }], main: FILE },
  { name: "one-tensor", files: [{ name: FILE, bytes: bytesWrittenBy(FILE, (p) => writeSafetensors(p, new Map([["x", tensorEntry("F32", [4, 4], new Float32Array(16).fill(1))]]))) }], main: FILE },
];

export const safetensorsTarget = {
  id: "safetensors",
  description: "safetensors: readSafetensors and readCheckpoint",
  errorName: "CheckpointError",
  expansion: 2,
  seeds: safetensorsSeeds,
  mutate: (seed, rng) =>
    stacked(seed, rng, (input, r) => {
      const bytes = fileOf(input);
      const m = (r.chance(0.5) ? mutateSafetensors(bytes, r) : null) ?? mutateBytes(bytes, safetensorsLayout(bytes), r);
      return { files: [{ name: FILE, bytes: m.bytes }], note: m.note };
    }),
  read: (path) => readBoth(path, readSafetensors),
} as const satisfies FuzzTarget;
