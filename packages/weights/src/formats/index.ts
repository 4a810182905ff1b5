import type { CheckpointFormat } from "../format.js";
import { safetensorsFormat } from "./safetensors.js";

/** Built-in checkpoint formats, tried in this order by `readCheckpoint`. */
export const builtinFormats = {
  safetensors: safetensorsFormat,
} as const satisfies Record<string, CheckpointFormat>;
