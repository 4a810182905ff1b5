import type { FuzzTarget } from "../target.js";
import { datasetJsonTarget } from "./dataset-json.js";
import { niftiGzTarget } from "./nifti-gz.js";
import { niftiTarget } from "./nifti.js";
import { npyTarget } from "./npy.js";
import { npzTarget } from "./npz.js";
import { pytorchZipTarget } from "./pytorch-zip.js";
import { safetensorsShardedTarget } from "./safetensors-sharded.js";
import { safetensorsTarget } from "./safetensors.js";

/** Every reader the fuzzer covers, in the order `pnpm fuzz` runs them. */
export const builtinTargets = {
  nifti: niftiTarget,
  "nifti-gz": niftiGzTarget,
  safetensors: safetensorsTarget,
  "safetensors-sharded": safetensorsShardedTarget,
  "pytorch-zip": pytorchZipTarget,
  npz: npzTarget,
  npy: npyTarget,
  "dataset-json": datasetJsonTarget,
} as const satisfies Record<string, FuzzTarget>;
