/** `.nii` files (NIfTI-1 and NIfTI-2, both byte orders) through `readNifti` and `readNiftiSync`. */
import { readNifti, readNiftiSync } from "@transseg/datasets";
import { niftiLayout, mutateNiftiHeader } from "../formats/nifti-layout.js";
import { mutateBytes } from "../mutate.js";
import { fileOf, stacked, type FuzzTarget } from "../target.js";
import { checkVolume, niftiSeeds } from "./nifti-seeds.js";

export const niftiTarget = {
  id: "nifti",
  description: "NIfTI-1/2 .nii: readNifti and readNiftiSync",
  errorName: "VolumeError",
  // int8/uint8 scaled to float32: 4 bytes of output per byte of input, plus a copy for byte swaps
  expansion: 8,
  seeds: niftiSeeds,
  mutate: (seed, rng) =>
    stacked(seed, rng, (input, r) => {
      const bytes = fileOf(input);
      const m = r.chance(0.35) ? mutateNiftiHeader(bytes, r) : mutateBytes(bytes, niftiLayout(bytes), r);
      return { files: [{ name: "volume.nii", bytes: m.bytes }], note: m.note };
    }),
  async read(path) {
    const a = checkVolume(await readNifti(path));
    return a ?? checkVolume(readNiftiSync(path));
  },
} as const satisfies FuzzTarget;
