/** Single `.npy` arrays through `readNpy` and `readCheckpoint`. */
import { readFileSync } from "node:fs";
import { readNpy } from "@transseg/weights";
import { mutateNpyHeader, npyBytes, npyLayout, sampleArrays } from "../formats/npy-bytes.js";
import { mutateBytes } from "../mutate.js";
import { fileOf, stacked, type FuzzSeed, type FuzzTarget } from "../target.js";
import { readBoth } from "./checkpoint-check.js";

const FILE = "array.npy";
const SINGLE = new URL("../../../../packages/weights/test-data/single.npy", import.meta.url);

const seeds = (): FuzzSeed[] => [
  { name: "single.npy (numpy)", files: [{ name: FILE, bytes: new Uint8Array(readFileSync(SINGLE)) }], main: FILE },
  ...sampleArrays().map(([name, descr, shape, data, fortran], i): FuzzSeed => ({
    name,
    files: [{ name: FILE, bytes: npyBytes(descr, shape, data, { fortran, version: i % 3 === 2 ? 2 : 1 }) }],
    main: FILE,
  })),
];

export const npyTarget = {
  id: "npy",
  description: "NumPy .npy: readNpy and readCheckpoint",
  errorName: "CheckpointError",
  expansion: 2,
  seeds,
  mutate: (seed, rng) =>
    stacked(seed, rng, (input, r) => {
      const bytes = fileOf(input);
      const m = (r.chance(0.5) ? mutateNpyHeader(bytes, r) : null) ?? mutateBytes(bytes, npyLayout(bytes), r);
      return { files: [{ name: FILE, bytes: m.bytes }], note: m.note };
    }),
  read: (path) => readBoth(path, readNpy),
} as const satisfies FuzzTarget;
