import type { CheckpointFormat } from "../format.js";
import { npyFormat } from "./npy.js";
import { npzFormat } from "./npz.js";
import { pytorchLegacyFormat } from "./pytorch-legacy.js";
import { pytorchZipFormat } from "./pytorch-zip.js";
import { safetensorsFormat } from "./safetensors.js";
import { shardedSafetensorsFormat } from "./safetensors-sharded.js";

/** Built-in checkpoint formats, tried in this order by `readCheckpoint` (detection is by content). */
export const builtinFormats = {
  safetensors: safetensorsFormat,
  "safetensors-sharded": shardedSafetensorsFormat,
  "pytorch-zip": pytorchZipFormat,
  npz: npzFormat,
  npy: npyFormat,
  "pytorch-legacy": pytorchLegacyFormat,
} as const satisfies Record<string, CheckpointFormat>;
