export * from "./tensor.js";
export * from "./errors.js";
export type { Checkpoint, CheckpointFormat } from "./format.js";
export { builtinFormats } from "./formats/index.js";
export { readSafetensors, readSafetensorsHeader, safetensorsFormat, writeSafetensors, type WriteSafetensorsOptions } from "./formats/safetensors.js";
export { readCheckpoint, type ReadCheckpointOptions } from "./read.js";
