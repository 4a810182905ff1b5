/** Parameter counts and a JSON-friendly summary of a checkpoint (`transseg inspect --json`). */
import type { AdapterRegistry } from "./adapters/canonicalize.js";
import { builtinAdapters } from "./adapters/index.js";
import type { Checkpoint } from "./format.js";
import { numel, type DType, type TensorMap } from "./tensor.js";

const FLOATING: ReadonlySet<DType> = new Set<DType>(["F64", "F32", "F16", "BF16"]);

/** Sum of the element counts of the floating-point tensors (integer buffers are not parameters). */
export function countParameters(map: TensorMap): number {
  let n = 0;
  for (const t of map.values()) if (FLOATING.has(t.dtype)) n += numel(t.shape);
  return n;
}

export interface CheckpointSummary {
  format: string;
  /** The detected source layout, or null when none fits. */
  layout: string | null;
  parameters: number;
  tensors: { name: string; dtype: DType; shape: number[] }[];
}

export interface SummarizeOptions {
  adapters?: AdapterRegistry;
}

/** Format, detected layout, parameter count and the tensors (in file order); reads no values. */
export function summarize(checkpoint: Checkpoint, options: SummarizeOptions = {}): CheckpointSummary {
  const keys = [...checkpoint.tensors.keys()];
  const layout = Object.values(options.adapters ?? builtinAdapters).find((a) => a.detect(keys))?.id ?? null;
  return {
    format: checkpoint.format,
    layout,
    parameters: countParameters(checkpoint.tensors),
    tensors: [...checkpoint.tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
  };
}
